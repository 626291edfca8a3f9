import { systemCurrency } from '../../domain/cards/credit.ts';
import { rawDecimal } from '../../domain/cards/money.ts';
import { NOT_AUTHORIZED_SERVICES } from '../../domain/services/access.ts';
import { createService } from '../../domain/services/createService.ts';
import { deleteService } from '../../domain/services/deleteService.ts';
import { listServices } from '../../domain/services/listServices.ts';
import { updateService } from '../../domain/services/updateService.ts';
import { defineMethod } from '../method.ts';
import { page, pageStatusError } from '../xml.ts';
import { guarded, idOf, refuse } from './moneySupport.ts';

/** Simple users and partners are refused by the pipeline with `Access Denied` in `<page><status><error>`. */
const MANAGERS = ['admin', 'reseller', 'accountant'] as const;

const common = {
  family: 'services',
  identity: 'caller',
  callers: MANAGERS,
  errorWrapper: pageStatusError,
} as const;

const CALLER = { name: 'u', required: true, description: 'caller: admin, reseller, accountant with Manage Services' };

export const serviceCreate = defineMethod({
  ...common,
  name: 'service_create',
  summary: 'Creates a service (periodic fee, one-time fee, flat rate, dynamic flat rate); answers its id.',
  hash: ['new_service_name', 'new_service_type'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    CALLER,
    { name: 'new_service_name', required: true, description: 'service name (shown on invoices)' },
    {
      name: 'new_service_type',
      required: true,
      description: '`periodic_fee`, `one_time_fee`, `flat_rate` or `dynamic_flat_rate`',
    },
    { name: 'service_sell_price', description: 'sell price, system currency (default 0; not hashed)' },
    { name: 'service_self_cost', description: 'self cost, informational (default 0; not hashed)' },
    { name: 'service_period', description: '`month` (default) or `day`; periodic fees only (not hashed)' },
    { name: 'service_minutes_per_month', description: 'minutes per period; required for flat rates (not hashed)' },
    { name: 'new_owner_id', description: 'admin only: 0 or one of its resellers (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(new_service_name + new_service_type + secret key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    const owner = params.value('new_owner_id');
    const service = await createService(ctx, {
      name: params.value('new_service_name'),
      type: params.value('new_service_type'),
      price: params.value('service_sell_price'),
      selfCost: params.value('service_self_cost'),
      period: params.value('service_period'),
      quantity: params.value('service_minutes_per_month'),
      ownerId: owner === undefined ? undefined : /^\d{1,9}$/.test(owner) ? Number(owner) : Number.NaN,
    });
    return page({ status: { success: 'Service successfully created', service: { id: service.id } } });
  }),
});

export const serviceUpdate = defineMethod({
  ...common,
  name: 'service_update',
  summary: 'Changes the sent fields of a service; validated like a new one.',
  hash: ['service_id'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    CALLER,
    { name: 'service_id', required: true, description: 'the service' },
    { name: 'service_name', description: 'new name (not hashed)' },
    { name: 'service_type', description: 'new type (not hashed)' },
    { name: 'service_sell_price', description: 'new sell price (not hashed)' },
    { name: 'service_self_cost', description: 'new self cost (not hashed)' },
    { name: 'service_period', description: '`month` or `day`, periodic fees only (not hashed)' },
    { name: 'service_minutes_per_month', description: 'minutes, flat rates only (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(service_id + secret key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    await updateService(ctx, {
      serviceId: idOf(params, 'service_id'),
      name: params.value('service_name'),
      type: params.value('service_type'),
      price: params.value('service_sell_price'),
      selfCost: params.value('service_self_cost'),
      period: params.value('service_period'),
      quantity: params.value('service_minutes_per_month'),
    });
    return page({ status: { success: 'Service successfully updated' } });
  }),
});

export const serviceDelete = defineMethod({
  ...common,
  name: 'service_delete',
  summary: 'Deletes a service that has no subscriptions.',
  hash: ['service_id'],
  access: 'write',
  unknownCaller: pageStatusError('User was not found'),
  params: [
    CALLER,
    { name: 'service_id', required: true, description: 'the service' },
    { name: 'hash', required: true, description: 'sha1(service_id + secret key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    await deleteService(ctx, { serviceId: idOf(params, 'service_id') });
    return page({ status: { success: 'Service was successfully deleted' } });
  }),
});

export const servicesGet = defineMethod({
  ...common,
  name: 'services_get',
  summary: "Every service of the caller's realm (the admin: all), by id.",
  hash: [],
  access: 'read',
  unknownCaller: pageStatusError(NOT_AUTHORIZED_SERVICES),
  params: [CALLER, { name: 'hash', required: true, description: 'sha1(secret key)' }],
  run: guarded(pageStatusError, async ({ ctx }) => {
    const services = await listServices(ctx);
    if (services.length === 0) refuse(pageStatusError, 'No Services found');
    const currency = await systemCurrency(ctx);
    return page({
      services: {
        service: services.map((s) => ({
          id: s.id,
          name: s.name,
          memo: s.memo,
          type: s.type,
          period: s.type === 'periodic_fee' ? s.period : '',
          // An accountant without See financial data reads services without money.
          ...(s.price === null
            ? {}
            : { price: rawDecimal(s.price), self_cost: rawDecimal(s.selfCost ?? '0'), currency }),
          quantity: s.type === 'one_time_fee' ? '' : s.quantity,
          continue_call: s.continueCall ? 1 : 0,
        })),
      },
    });
  }),
});
