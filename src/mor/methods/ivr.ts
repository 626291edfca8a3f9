import { updateIvrDialPlan } from '../../domain/ivr/dialPlans.ts';
import { updateTimePeriod } from '../../domain/ivr/timePeriods.ts';
import { createPbxPool } from '../../domain/pbxPools/createPbxPool.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, pageStatusError, pageStatusSuccess } from '../xml.ts';
import { ctxOf, guarded, idParam, pick } from './devices/support.ts';

const TIME_PERIOD_PARAMS = [
  ['name', 'name'],
  ['start_hour', 'startHour'],
  ['end_hour', 'endHour'],
  ['start_minute', 'startMinute'],
  ['end_minute', 'endMinute'],
  ['start_weekday', 'startWeekday'],
  ['end_weekday', 'endWeekday'],
  ['start_month', 'startMonth'],
  ['end_month', 'endMonth'],
  ['start_day', 'startDay'],
  ['end_day', 'endDay'],
] as const;

export const ivrTimePeriodUpdate = defineMethod({
  name: 'ivr_time_period_update',
  family: 'ivr',
  summary: "Changes an IVR time period's sent fields (blank clears weekday, month, day).",
  identity: 'caller',
  hash: ['u', 'ivr_time_period_id'],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller: the admin, or a reseller for its own periods' },
    { name: 'ivr_time_period_id', required: true, description: 'period to change' },
    { name: 'name', description: 'not blank' },
    { name: 'start_hour', description: '0-23' },
    { name: 'end_hour', description: '0-23' },
    { name: 'start_minute', description: '0-59' },
    { name: 'end_minute', description: '0-59' },
    { name: 'start_weekday', description: 'mon tue wed thu fri sat sun, or blank (any)' },
    { name: 'end_weekday', description: 'mon … sun, or blank' },
    { name: 'start_month', description: '1-12, or blank' },
    { name: 'end_month', description: '1-12, or blank' },
    { name: 'start_day', description: '1-31, or blank' },
    { name: 'end_day', description: '1-31, or blank' },
    { name: 'hash', required: true, description: 'sha1(u + ivr_time_period_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await updateTimePeriod(ctxOf(call), {
      id: idParam(call.params, 'ivr_time_period_id'),
      ...pick(call.params, TIME_PERIOD_PARAMS),
    });
    return page({ status: { message: 'Time Periods successfully updated' } });
  }),
});

export const ivrDialPlanUpdate = defineMethod({
  name: 'ivr_dial_plan_update',
  family: 'ivr',
  summary: "Sets an IVR dial plan's three time period slots (blank clears one).",
  identity: 'caller',
  hash: ['u', 'ivr_dial_plan_id'],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller: the admin, or a reseller for its own dial plans' },
    { name: 'ivr_dial_plan_id', required: true, description: 'IVR dial plan' },
    { name: 'time_period1', description: 'IVR time period id, or blank to clear' },
    { name: 'time_period2', description: 'IVR time period id, or blank to clear' },
    { name: 'time_period3', description: 'IVR time period id, or blank to clear' },
    { name: 'hash', required: true, description: 'sha1(u + ivr_dial_plan_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await updateIvrDialPlan(ctxOf(call), {
      id: idParam(call.params, 'ivr_dial_plan_id'),
      timePeriod1: call.params.get('time_period1'),
      timePeriod2: call.params.get('time_period2'),
      timePeriod3: call.params.get('time_period3'),
    });
    return pageStatusSuccess('Dial Plan successfully updated');
  }),
});

export const pbxPoolCreate = defineMethod({
  name: 'pbx_pool_create',
  family: 'pbx pool',
  summary: "Creates a PBX pool (extension namespace) in the caller's realm.",
  identity: 'caller',
  hash: ['name'],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'write',
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller: the admin, or a reseller with PBX functions' },
    { name: 'name', required: true, description: 'pool name, unique in the realm' },
    { name: 'comment', description: 'free text (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(name + key)' },
  ],
  run: guarded('page', async (call) => {
    await createPbxPool(ctxOf(call), { name: call.params.get('name'), comment: call.params.get('comment') });
    return pageStatusSuccess('PbxPool was succesfully created');
  }),
});
