import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { reconcileAfterEach } from '../helpers/money.ts';
import { insertService, type SubsWorld, subscribe, subsWorld } from '../helpers/subs.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: SubsWorld;
let ids: { service: string; subscription: string; user: string };
beforeAll(async () => {
  w = await subsWorld(api);
  const user = await w.customer({ balance: '1000' });
  const service = await insertService(api, { price: '1' });
  ids = {
    service: String(service),
    subscription: String(await subscribe(w.admin, user.id, service)),
    user: String(user.id),
  };
});

const NASTY = [
  '',
  ' ',
  "' or 1=1 --",
  '<x>&',
  '\u0000',
  '\uD800',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '{"a":1}',
  'a'.repeat(20_000),
  '1.5',
  '0',
];

const METHODS: [string, string[], () => Record<string, string>][] = [
  [
    'service_create',
    ['new_service_name', 'new_service_type'],
    () => ({
      new_service_name: 'N',
      new_service_type: 'flat_rate',
      service_sell_price: '1',
      service_self_cost: '1',
      service_period: 'day',
      service_minutes_per_month: '5',
      new_owner_id: '0',
    }),
  ],
  [
    'service_update',
    ['service_id'],
    () => ({
      service_id: ids.service,
      service_name: 'N',
      service_type: 'periodic_fee',
      service_sell_price: '1',
      service_self_cost: '1',
      service_period: 'day',
      service_minutes_per_month: '5',
    }),
  ],
  ['services_get', [], () => ({})],
  [
    'subscription_create',
    ['user_id', 'service_id'],
    () => ({
      user_id: ids.user,
      service_id: ids.service,
      subscription_activation_start: '1700000000',
      subscription_activation_end: '1800000000',
      subscription_memo: 'm',
      subscription_until_canceled: '0',
      subscription_discount_percent: '1',
      subscription_start_period_day: '1',
      subscription_start_period_month: '1',
      subscription_charge_balance_on: '1',
      ignore_balance: '1',
      subscription_charge_for_past: '0',
    }),
  ],
  [
    'subscription_update',
    ['subscription_id'],
    () => ({
      subscription_id: ids.subscription,
      subscription_activation_start: '1700000000',
      subscription_memo: 'm',
      subscription_discount_percent: '1',
      subscription_charge_balance_on: '2',
    }),
  ],
  [
    'subscriptions_get',
    [],
    () => ({
      service_id: ids.service,
      user_id: ids.user,
      subscription_memo: 'm',
      subscription_activation_start: '1',
      subscription_activation_end: '1900000000',
      subscription_until_canceled: '0',
    }),
  ],
  [
    'subscription_delete',
    ['subscription_id', 'subscription_delete_action'],
    () => ({ subscription_id: '999999', subscription_delete_action: '2' }),
  ],
  ['service_delete', ['service_id'], () => ({ service_id: '999999' })],
];

describe('services and subscriptions: malformed values', () => {
  it('every parameter with every nasty value answers well-formed XML with HTTP 200, never a stack trace', async () => {
    const failures: string[] = [];
    for (const [method, hashOf, base] of METHODS) {
      const names = Object.keys(base());
      for (const name of names) {
        for (const value of NASTY) {
          const params = { ...base(), [name]: value };
          const res = await w.admin.call(method, params, hashOf);
          const ok =
            res.status === 200 &&
            XMLValidator.validate(res.body) === true &&
            !/\bat \S+\.(ts|js)|Error:|\bselect\b.+\bfrom\b|insert into/i.test(res.body);
          if (!ok)
            failures.push(
              `${method} ${name}=${JSON.stringify(value.slice(0, 20))}: ${res.status} ${res.body.slice(0, 200)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
