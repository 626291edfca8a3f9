import { callbackInit } from '../../domain/callControl/callbackInit.ts';
import { maActivate } from '../../domain/callControl/maActivate.ts';
import { spyCall } from '../../domain/callControl/spyCall.ts';
import { DomainError } from '../../domain/errors.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, statusError, xml } from '../xml.ts';
import { ctxOf, guarded } from './devices/support.ts';

const EVERYONE = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;

export const spyCallMethod = defineMethod({
  name: 'spy_call',
  family: 'spy',
  summary: "Lets the caller's spy device listen to an active call (ChanSpy through the switch's manager interface).",
  identity: 'caller',
  hash: ['u', 'active_call_id'],
  // Role refusals carry the method's own string (domain/callControl/spyCall.ts), so every type gets in.
  callers: EVERYONE,
  access: 'write',
  unknownCaller: pageError('Access denied'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username (admin or reseller), hashed' },
    { name: 'active_call_id', required: true, description: 'the <id> of active_calls_get' },
    { name: 'hash', required: true, description: 'sha1(u + active_call_id + key)' },
  ],
  run: guarded('page', async (call) => {
    const started = await spyCall(ctxOf(call), call.params.get('active_call_id'));
    return page({ status: { success: 'Spy call initiated', spy_device: started.spyDevice, channel: started.channel } });
  }),
});

/** callback_init answers everything, errors included, in a `<Status>` root (capital S). */
const status = (message: string) => xml({ Status: message });

export const callbackInitMethod = defineMethod({
  name: 'callback_init',
  aliases: ['callback'],
  family: 'callback',
  summary: "Calls the source, then connects it to the destination, for one of the caller's devices.",
  identity: 'caller',
  hash: ['device', 'dst', 'src'],
  callers: EVERYONE,
  access: null,
  unknownCaller: status('Not authenticated'),
  errorWrapper: status,
  params: [
    { name: 'u', required: true, description: 'caller username, owner of the device' },
    { name: 'device', required: true, description: 'device id (ACC) whose user pays and whose caller id is used' },
    { name: 'dst', description: 'number dialled when the source answers (absent: the source is asked for it)' },
    { name: 'src', required: true, description: 'number dialled first' },
    { name: 'cli_lega', description: 'caller id shown on leg A' },
    { name: 'cli_legb', description: 'caller id shown on leg B' },
    { name: 'card_pin', description: 'calling card PIN to bill' },
    { name: 'lega_tariff_id', description: 'retail tariff for leg A' },
    { name: 'lega_reseller_tariff_id', description: "reseller's tariff for leg A" },
    { name: 'lega_lcr_id', description: 'LCR for leg A' },
    { name: 'server_id', description: 'server that originates (openmor controls server 1)' },
    { name: 'callback_uniqueid', description: '1: answer a callback_uniqueid linking both legs' },
    { name: 'hash', required: true, description: 'sha1(device + dst + src + key), absent ones skipped' },
  ],
  async run(call) {
    const p = call.params;
    try {
      const started = await callbackInit(ctxOf(call), {
        device: p.get('device'),
        src: p.get('src'),
        dst: p.get('dst'),
        cliLegA: p.get('cli_lega'),
        cliLegB: p.get('cli_legb'),
        cardPin: p.get('card_pin'),
        legaTariffId: p.get('lega_tariff_id'),
        legaResellerTariffId: p.get('lega_reseller_tariff_id'),
        legaLcrId: p.get('lega_lcr_id'),
        serverId: p.get('server_id'),
      });
      return p.get('callback_uniqueid') === '1'
        ? page({ Status: 'Ok', callback_uniqueid: started.uniqueId })
        : status('Ok');
    } catch (error) {
      if (error instanceof DomainError) return status(error.message);
      throw error;
    }
  },
});

export const maActivateMethod = defineMethod({
  name: 'ma_activate',
  aliases: ['monitoring_addon_activate'],
  family: 'monitorings',
  summary: "Runs a fired monitoring's actions (block the users, e-mail the owner) and reports per user.",
  identity: 'caller',
  hash: [],
  callers: ['admin', 'accountant'],
  access: 'write',
  errorWrapper: statusError,
  params: [
    { name: 'u', required: true, description: 'caller username (admin, or an accountant with Monitorings)' },
    { name: 'monitoring_id', required: true, description: 'the monitoring that fired' },
    { name: 'users', required: true, description: 'comma-separated user ids it fired for' },
    { name: 'block', required: true, description: 'true/false: the monitoring blocks users' },
    { name: 'email', required: true, description: 'true/false: the monitoring sends e-mail' },
    { name: 'mtype', required: true, description: '1 "Increases more than", 2 "Drops below than"' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  async run(call) {
    const p = call.params;
    try {
      const users = await maActivate(ctxOf(call), {
        monitoringId: p.get('monitoring_id'),
        users: p.get('users'),
        block: p.get('block'),
        email: p.get('email'),
        mtype: p.get('mtype'),
      });
      return xml({ status: { monitoring_found: 'success', users: { user: users } } });
    } catch (error) {
      if (error instanceof DomainError) return statusError(error.message);
      throw error;
    }
  },
});
