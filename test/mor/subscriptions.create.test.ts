import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { balanceOf, type Caller, movementsOf, paymentsOf, reconcileAfterEach } from '../helpers/money.ts';
import { insertService, type SubsWorld, subsWorld } from '../helpers/subs.ts';

/** 2026-03-15 12:00 UTC (the system time zone is UTC); March has 31 days. */
const NOW = new Date('2026-03-15T12:00:00Z');
const unix = (iso: string) => String(Date.parse(iso) / 1000);
const api = useTestApp({ clock: () => NOW });
reconcileAfterEach(api);
let w: SubsWorld;
beforeAll(async () => {
  w = await subsWorld(api);
});

const HASH = ['user_id', 'service_id'];
const create = (as: Caller, params: Record<string, string>, options = {}) =>
  as.call('subscription_create', params, HASH, options);
const createdXml = (id: number) =>
  `${XML_DECL}\n<page>\n  <status>\n    <success>Subscription was successfully created</success>\n    <id>${id}</id>\n  </status>\n</page>\n`;
const subsOf = (userId: number) =>
  queryRows<Record<string, unknown>>(
    api.handle.db,
    sql`select id, service_id, to_char(activation_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as start,
        to_char(activation_end at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as end, memo, no_expiration,
        discount_percent::text, start_period_day, start_period_month, charge_balance_on, charge_for_past
      from subscriptions where user_id = ${userId} order by id`,
  );
const chargesOf = (userId: number) =>
  queryRows<Record<string, unknown>>(
    api.handle.db,
    sql`select to_char(period_start, 'YYYY-MM-DD') as start, to_char(period_end, 'YYYY-MM-DD') as end,
        amount::text, refunded::text, payment_id is not null as paid
      from subscription_charges where user_id = ${userId} order by period_start`,
  );
const postpaid = async (balance = '0') => {
  const u = await w.customer({ balance });
  await api.handle.db.execute(sql`update users set postpaid = true where id = ${u.id}`);
  return u;
};

describe('subscription_create', () => {
  it('a postpaid subscriber: created until canceled from now, nothing charged (the invoice bills it)', async () => {
    const user = await postpaid();
    const service = await insertService(api, { price: '31' });
    const res = await create(w.admin, {
      user_id: String(user.id),
      service_id: String(service),
      subscription_memo: 'DID 370',
    });
    const [sub] = await subsOf(user.id);
    expect(res.body).toBe(createdXml(sub!.id as number));
    expect(sub).toEqual({
      id: sub!.id,
      service_id: service,
      start: '2026-03-15 12:00:00',
      end: null,
      memo: 'DID 370',
      no_expiration: false,
      discount_percent: '0.0000',
      start_period_day: 1,
      start_period_month: 1,
      charge_balance_on: 1,
      charge_for_past: false,
    });
    expect(await chargesOf(user.id)).toEqual([]);
    expect(await movementsOf(api, user.id)).toEqual([]);
    const log = await queryRows(
      api.handle.db,
      sql`select user_id, data from actions where action = 'subscription_created' and target_id = ${sub!.id}`,
    );
    expect(log).toEqual([{ user_id: 0, data: 'Line rent' }]);
  });

  it('a prepaid subscriber pays the current month at once: price × days left / days, less the discount', async () => {
    const user = await w.customer({ balance: '100' });
    const service = await insertService(api, { price: '31' });
    await create(w.admin, {
      user_id: String(user.id),
      service_id: String(service),
      subscription_discount_percent: '10',
    });
    // 15 … 31 March = 17 of 31 days: 17.000000, less 10 % = 15.300000.
    expect(await chargesOf(user.id)).toEqual([
      { start: '2026-03-01', end: '2026-03-31', amount: '15.300000', refunded: '0.000000', paid: true },
    ]);
    expect(await balanceOf(api, user.id)).toBe('84.700000');
    const [charge] = await queryRows<{ id: number }>(
      api.handle.db,
      sql`select id from subscription_charges where user_id = ${user.id}`,
    );
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '-15.300000', balance_after: '84.700000', source: 'subscription', source_id: charge!.id },
    ]);
    expect(await paymentsOf(api, user.id)).toMatchObject([
      {
        paymenttype: 'Subscription',
        currency: 'USD',
        amount: '-15.300000',
        gross: '-15.300000',
        completed: true,
        balance_before: '100.000000',
        balance_after: '84.700000',
      },
    ]);
  });

  it('a month that started earlier: the current period from its first activation day; charge_for_past adds the past', async () => {
    const user = await w.customer({ balance: '100' });
    const service = await insertService(api, { price: '10' });
    await create(w.admin, {
      user_id: String(user.id),
      service_id: String(service),
      subscription_activation_start: unix('2026-02-15T00:00:00Z'),
    });
    expect(await chargesOf(user.id)).toEqual([
      { start: '2026-03-01', end: '2026-03-31', amount: '10.000000', refunded: '0.000000', paid: true },
    ]);
    const other = await w.customer({ balance: '100' });
    await create(w.admin, {
      user_id: String(other.id),
      service_id: String(service),
      subscription_activation_start: unix('2026-02-15T00:00:00Z'),
      subscription_charge_for_past: '1',
    });
    // February: 15 … 28 = 14 of 28 days.
    expect((await chargesOf(other.id)).map((c) => [c.start, c.amount])).toEqual([
      ['2026-02-01', '5.000000'],
      ['2026-03-01', '10.000000'],
    ]);
  });

  it('daily fees charge each day from today; a one-time fee once, ending at its start; a future start waits', async () => {
    const user = await w.customer({ balance: '100' });
    const daily = await insertService(api, { period: 'day', price: '0.5' });
    await create(w.admin, {
      user_id: String(user.id),
      service_id: String(daily),
      subscription_activation_start: unix('2026-03-13T08:00:00Z'),
    });
    expect((await chargesOf(user.id)).map((c) => [c.start, c.end, c.amount])).toEqual([
      ['2026-03-15', '2026-03-15', '0.500000'],
    ]);
    expect((await subsOf(user.id))[0]).toMatchObject({ charge_balance_on: 3 });
    const once = await insertService(api, { type: 'one_time_fee', price: '7' });
    const buyer = await w.customer({ balance: '10' });
    await create(w.admin, { user_id: String(buyer.id), service_id: String(once) });
    expect((await subsOf(buyer.id))[0]).toMatchObject({ start: '2026-03-15 12:00:00', end: '2026-03-15 12:00:00' });
    expect((await chargesOf(buyer.id)).map((c) => c.amount)).toEqual(['7.000000']);
    const later = await w.customer({ balance: '10' });
    await create(w.admin, {
      user_id: String(later.id),
      service_id: String(once),
      subscription_activation_start: unix('2026-04-01T00:00:00Z'),
    });
    expect(await chargesOf(later.id)).toEqual([]);
  });

  it('a flat rate covers whole months; no-expiration only on flat rates', async () => {
    const user = await postpaid();
    const flat = await insertService(api, { type: 'flat_rate', quantity: 100, price: '20' });
    await create(w.admin, {
      user_id: String(user.id),
      service_id: String(flat),
      subscription_activation_end: unix('2026-04-10T00:00:00Z'),
      subscription_no_expiration_at_the_end_of_a_month: '1',
    });
    expect((await subsOf(user.id))[0]).toMatchObject({
      start: '2026-03-01 00:00:00',
      end: '2026-04-30 23:59:59',
      no_expiration: true,
    });
    const periodic = await insertService(api);
    const res = await create(w.admin, {
      user_id: String(user.id),
      service_id: String(periodic),
      subscription_no_expiration_at_the_end_of_a_month: '1',
    });
    expect(res.body).toBe(pageStatusErrorXml('Service is not flat rate'));
  });

  it('insufficient balance refuses a prepaid subscription whole; ignore_balance=1 takes it below zero', async () => {
    const user = await w.customer({ balance: '5' });
    const once = await insertService(api, { type: 'one_time_fee', price: '10' });
    const params = { user_id: String(user.id), service_id: String(once) };
    expect((await create(w.admin, params)).body).toBe(pageStatusErrorXml('User has insufficient balance'));
    expect(await subsOf(user.id)).toEqual([]);
    expect(await chargesOf(user.id)).toEqual([]);
    expect(await paymentsOf(api, user.id)).toEqual([]);
    expect(await balanceOf(api, user.id)).toBe('5.000000');
    await create(w.admin, { ...params, ignore_balance: '1' });
    expect(await balanceOf(api, user.id)).toBe('-5.000000');
  });

  it('answers every documented error in order and creates nothing', async () => {
    const user = await postpaid();
    const s = String(await insertService(api));
    const u = String(user.id);
    const cases: [Record<string, string>, string][] = [
      [{ user_id: u }, 'Service was not selected'],
      [{ user_id: u, service_id: '999999' }, 'Service was not found'],
      [{ user_id: u, service_id: 'x' }, 'Service was not found'],
      [{ service_id: s }, 'User was not selected'],
      [{ service_id: s, user_id: '999999' }, 'User was not found'],
      [{ service_id: s, user_id: '0' }, 'User was not found'],
      [{ service_id: s, user_id: String(w.accNone.id) }, 'User was not found'],
      [{ service_id: s, user_id: String(w.partner.id) }, 'User was not found'],
      [
        { service_id: s, user_id: u, subscription_activation_start: 'today' },
        'Subscription activation start date must be valid timestamp',
      ],
      [
        { service_id: s, user_id: u, subscription_activation_end: '1.5' },
        'Subscription activation end date must be valid timestamp',
      ],
      [
        {
          service_id: s,
          user_id: u,
          subscription_activation_start: '1800000000',
          subscription_activation_end: '1700000000',
        },
        'Activation start date must be earlier than end date',
      ],
      [
        { service_id: s, user_id: u, subscription_no_expiration_at_the_end_of_a_month: '1' },
        'Service is not flat rate',
      ],
      [{ service_id: s, user_id: u, subscription_discount_percent: '101' }, 'Subscription parameters are invalid'],
      [{ service_id: s, user_id: u, subscription_start_period_day: '32' }, 'Subscription parameters are invalid'],
      [{ service_id: s, user_id: u, subscription_start_period_month: '0' }, 'Subscription parameters are invalid'],
      [{ service_id: s, user_id: u, subscription_charge_balance_on: '4' }, 'Subscription parameters are invalid'],
    ];
    for (const [params, message] of cases)
      expect((await create(w.admin, params)).body).toBe(pageStatusErrorXml(message));
    expect(await subsOf(user.id)).toEqual([]);
  });

  it('the end is ignored when until canceled: an earlier or malformed end is fine', async () => {
    const user = await postpaid();
    const s = String(await insertService(api));
    await create(w.admin, {
      user_id: String(user.id),
      service_id: s,
      subscription_activation_start: '1800000000',
      subscription_activation_end: '1700000000',
      subscription_until_canceled: '1',
    });
    expect((await subsOf(user.id))[0]).toMatchObject({ start: '2027-01-15 08:00:00', end: null });
    await create(w.admin, {
      user_id: String(user.id),
      service_id: s,
      subscription_activation_end: 'never',
      subscription_until_canceled: '1',
    });
    expect((await subsOf(user.id))[1]).toMatchObject({ start: '2026-03-15 12:00:00', end: null });
  });

  it('realms and callers', async () => {
    const mine = String(await insertService(api, { ownerId: w.r1.id }));
    const admins = String(await insertService(api));
    const r1User = await w.userOf(w.r1.id);
    await api.handle.db.execute(sql`update users set postpaid = true where id = ${r1User.id}`);
    const r2User = await w.userOf(w.r2.id);
    const adminUser = await postpaid();
    expect((await create(w.r1, { user_id: String(r1User.id), service_id: admins })).body).toBe(
      pageStatusErrorXml('Service was not found'),
    );
    expect((await create(w.r1, { user_id: String(r2User.id), service_id: mine })).body).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect((await create(w.r1, { user_id: String(adminUser.id), service_id: mine })).body).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect((await create(w.r1, { user_id: String(r1User.id), service_id: mine })).body).toContain(
      'successfully created',
    );
    // The admin may use a reseller's service for that reseller's users only.
    expect((await create(w.admin, { user_id: String(adminUser.id), service_id: mine })).body).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect((await create(w.admin, { user_id: String(r1User.id), service_id: mine })).body).toContain(
      'successfully created',
    );
    expect((await create(w.accSub, { user_id: String(r1User.id), service_id: mine })).body).toBe(
      pageStatusErrorXml('Service was not found'),
    );
    expect((await create(w.accSub, { user_id: String(adminUser.id), service_id: admins })).body).toContain(
      'successfully created',
    );
    const params = { user_id: String(adminUser.id), service_id: admins };
    expect((await create(w.accSubRead, params)).body).toBe(
      pageStatusErrorXml('You are not authorised to use this functionality'),
    );
    expect((await create(w.accNone, params)).body).toBe(
      pageStatusErrorXml('You are not authorised to use this functionality'),
    );
    expect((await create(w.user, params)).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await create(w.partner, params)).body).toBe(pageStatusErrorXml('Access Denied'));
    const unknown = await api.call('subscription_create', { u: 'nobody', ...params }, { hashOf: HASH });
    expect(unknown.body).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('hash: user_id then service_id (latest page) or service_id then user_id (2014 page); /api path', async () => {
    expect(await api.hash({ user_id: '2', service_id: '10' }, HASH, '456789')).toBe(
      '8d5c0c4a8e7243fcf3929202e859d8f6077b513e',
    );
    expect(await api.hash({ user_id: '2', service_id: '10' }, ['service_id', 'user_id'], '456789')).toBe(
      '7cbfd912be92bd745eee728ad4b19cdcd9fdd579',
    );
    const user = await postpaid();
    const params = { user_id: String(user.id), service_id: String(await insertService(api)) };
    expect((await w.admin.call('subscription_create', params, ['service_id', 'user_id'])).body).toContain(
      'successfully created',
    );
    expect((await w.admin.call('subscription_create', params, ['user_id'])).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await create(w.admin, params, { prefix: '/api' })).body).toContain('successfully created');
    expect(await subsOf(user.id)).toHaveLength(2);
  });

  it('an Idempotency-Key makes a retried or concurrent create subscribe and charge once', async () => {
    const user = await w.customer({ balance: '100' });
    const params = { user_id: String(user.id), service_id: String(await insertService(api, { price: '31' })) };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => create(w.admin, params, { headers: { 'Idempotency-Key': 'sub-create-1' } })),
    );
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(await subsOf(user.id)).toHaveLength(1);
    expect(await chargesOf(user.id)).toHaveLength(1);
    expect(await balanceOf(api, user.id)).toBe('83.000000');
  });
});
