import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { balanceOf, type Caller, movementsOf, paymentsOf, reconcileAfterEach } from '../helpers/money.ts';
import { insertService, type SubsWorld, subscribe, subscriptionRow, subsWorld, successXml } from '../helpers/subs.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
reconcileAfterEach(api);
let w: SubsWorld;
beforeAll(async () => {
  w = await subsWorld(api);
});

const postpaid = async () => {
  const u = await w.customer();
  await api.handle.db.execute(sql`update users set postpaid = true where id = ${u.id}`);
  return u;
};

describe('subscription_update', () => {
  const update = (as: Caller, params: Record<string, string>, options = {}) =>
    as.call('subscription_update', params, ['subscription_id'], options);
  const UPDATED = successXml('Subscription was successfully updated');

  it('changes only the sent fields; a blank memo keeps it; until_canceled clears the end; no money moves', async () => {
    const user = await w.customer({ balance: '100' });
    const id = await subscribe(w.admin, user.id, await insertService(api, { price: '31' }), {
      subscription_memo: 'keep',
      subscription_activation_end: '1777593600',
    });
    const balance = await balanceOf(api, user.id);
    const res = await update(w.admin, {
      subscription_id: String(id),
      subscription_activation_start: '1772323200',
      subscription_memo: '',
      subscription_discount_percent: '12.5',
      subscription_start_period_day: '5',
      subscription_start_period_month: '2',
      subscription_charge_balance_on: '2',
    });
    expect(res.body).toBe(UPDATED);
    expect(await subscriptionRow(api, id)).toEqual({
      start: '2026-03-01 00:00:00',
      end: '2026-05-01 00:00:00',
      memo: 'keep',
      no_expiration: false,
      discount_percent: '12.5000',
      start_period_day: 5,
      start_period_month: 2,
      charge_balance_on: 2,
    });
    await update(w.admin, { subscription_id: String(id), subscription_until_canceled: '1', subscription_memo: 'new' });
    expect(await subscriptionRow(api, id)).toMatchObject({ end: null, memo: 'new' });
    expect(await balanceOf(api, user.id)).toBe(balance);
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    const log = await queryRows(
      api.handle.db,
      sql`select 1 from actions where action = 'subscription_updated' and target_id = ${id}`,
    );
    expect(log).toHaveLength(2);
  });

  it('answers every documented error against the resulting values and changes nothing', async () => {
    const user = await postpaid();
    const id = String(
      await subscribe(w.admin, user.id, await insertService(api), { subscription_activation_end: '1777593600' }),
    );
    const before = await subscriptionRow(api, Number(id));
    const cases: [Record<string, string>, string][] = [
      [{}, 'Subscription was not found'],
      [{ subscription_id: '999999' }, 'Subscription was not found'],
      [{ subscription_id: 'x' }, 'Subscription was not found'],
      [
        { subscription_id: id, subscription_activation_start: 'soon' },
        'Subscription activation start date must be valid timestamp',
      ],
      [
        { subscription_id: id, subscription_activation_end: '-1' },
        'Subscription activation end date must be valid timestamp',
      ],
      [
        { subscription_id: id, subscription_activation_start: '1800000000' },
        'Activation start date must be earlier than end date',
      ],
      [{ subscription_id: id, subscription_no_expiration_at_the_end_of_a_month: '1' }, 'Service is not flat rate'],
      [{ subscription_id: id, subscription_discount_percent: '-1' }, 'Subscription parameters are invalid'],
      [{ subscription_id: id, subscription_charge_balance_on: '0' }, 'Subscription parameters are invalid'],
    ];
    for (const [params, message] of cases)
      expect((await update(w.admin, params)).body).toBe(pageStatusErrorXml(message));
    expect(await subscriptionRow(api, Number(id))).toEqual(before);
    // A later start is fine once the end goes.
    expect(
      (
        await update(w.admin, {
          subscription_id: id,
          subscription_activation_start: '1800000000',
          subscription_until_canceled: '1',
        })
      ).body,
    ).toBe(UPDATED);
  });

  it('realms and callers; hash subscription_id + key; /api path', async () => {
    const r1User = await w.userOf(w.r1.id);
    await api.handle.db.execute(sql`update users set postpaid = true where id = ${r1User.id}`);
    const r1Sub = String(await subscribe(w.r1, r1User.id, await insertService(api, { ownerId: w.r1.id })));
    const adminSub = String(await subscribe(w.admin, (await postpaid()).id, await insertService(api)));
    const memo = (sub: string) => ({ subscription_id: sub, subscription_memo: 'm' });
    expect((await update(w.r2, memo(r1Sub))).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await update(w.r1, memo(adminSub))).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await update(w.accSub, memo(r1Sub))).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await update(w.r1, memo(r1Sub))).body).toBe(UPDATED);
    expect((await update(w.admin, memo(r1Sub))).body).toBe(UPDATED);
    expect((await update(w.accSub, memo(adminSub))).body).toBe(UPDATED);
    expect((await update(w.accSubRead, memo(adminSub))).body).toBe(
      pageStatusErrorXml('You are not authorised to use this functionality'),
    );
    expect((await update(w.user, memo(adminSub))).body).toBe(pageStatusErrorXml('Access Denied'));
    const unknown = await api.call(
      'subscription_update',
      { u: 'nobody', ...memo(adminSub) },
      { hashOf: ['subscription_id'] },
    );
    expect(unknown.body).toBe(pageStatusErrorXml('Access Denied'));
    expect(await api.hash({ subscription_id: '10' }, ['subscription_id'], '456789')).toBe(
      '145ca5278d5edc90d4e4b69b869c461b3be6763e',
    );
    expect((await w.admin.call('subscription_update', memo(adminSub), [])).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await update(w.admin, memo(adminSub), { prefix: '/api' })).body).toBe(UPDATED);
  });
});

describe('subscription_delete', () => {
  const HASH = ['subscription_id', 'subscription_delete_action'];
  const del = (as: Caller, id: number | string, action: string | undefined, options = {}) =>
    as.call(
      'subscription_delete',
      { subscription_id: String(id), ...(action === undefined ? {} : { subscription_delete_action: action }) },
      HASH,
      options,
    );
  const exists = async (id: number) =>
    (await queryRows(api.handle.db, sql`select 1 from subscriptions where id = ${id}`)).length === 1;

  it('1 deletes without money back; the charges stay', async () => {
    const user = await w.customer({ balance: '100' });
    const id = await subscribe(w.admin, user.id, await insertService(api, { price: '31' }));
    expect((await del(w.admin, id, '1')).body).toBe(successXml('Subscription deleted'));
    expect(await exists(id)).toBe(false);
    expect(await balanceOf(api, user.id)).toBe('83.000000');
    const charges = await queryRows(
      api.handle.db,
      sql`select refunded::text from subscription_charges where subscription_id = ${id}`,
    );
    expect(charges).toEqual([{ refunded: '0.000000' }]);
  });

  it('2 disables: the end becomes now, nothing is refunded', async () => {
    const user = await w.customer({ balance: '100' });
    const id = await subscribe(w.admin, user.id, await insertService(api, { price: '31' }));
    expect((await del(w.admin, id, '2')).body).toBe(successXml('Subscription disabled'));
    expect(await subscriptionRow(api, id)).toMatchObject({ end: '2026-03-15 12:00:00' });
    expect(await balanceOf(api, user.id)).toBe('83.000000');
    // An end already past stays.
    const ended = await subscribe(w.admin, (await postpaid()).id, await insertService(api), {
      subscription_activation_start: '1767225600',
      subscription_activation_end: '1769904000',
    });
    await del(w.admin, ended, '2');
    expect(await subscriptionRow(api, ended)).toMatchObject({ end: '2026-02-01 00:00:00' });
  });

  it('3 returns every charge’s remainder through the ledger and deletes; the charges are marked refunded', async () => {
    const user = await w.customer({ balance: '100' });
    const id = await subscribe(w.admin, user.id, await insertService(api, { price: '10' }), {
      subscription_activation_start: '1771113600',
      subscription_charge_for_past: '1',
    });
    expect(await balanceOf(api, user.id)).toBe('85.000000');
    expect((await del(w.admin, id, '3')).body).toBe(successXml('Subscription deleted and money returned'));
    expect(await exists(id)).toBe(false);
    expect(await balanceOf(api, user.id)).toBe('100.000000');
    const moves = await movementsOf(api, user.id);
    expect(moves.map((m) => [m.amount, m.source])).toEqual([
      ['-5.000000', 'subscription'],
      ['-10.000000', 'subscription'],
      ['5.000000', 'subscription_refund'],
      ['10.000000', 'subscription_refund'],
    ]);
    expect((await paymentsOf(api, user.id)).map((p) => [p.paymenttype, p.amount])).toEqual([
      ['Subscription', '-5.000000'],
      ['Subscription', '-10.000000'],
      ['Subscription', '5.000000'],
      ['Subscription', '10.000000'],
    ]);
    const charges = await queryRows(
      api.handle.db,
      sql`select (amount - refunded)::text as left from subscription_charges where subscription_id = ${id}`,
    );
    expect(charges).toEqual([{ left: '0.000000' }, { left: '0.000000' }]);
  });

  it('answers every documented error and changes nothing', async () => {
    const id = await subscribe(w.admin, (await postpaid()).id, await insertService(api));
    expect((await w.admin.call('subscription_delete', {}, HASH)).body).toBe(
      pageStatusErrorXml('Subscription was not selected'),
    );
    expect((await del(w.admin, 999999, '1')).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await del(w.admin, 'x', '1')).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await del(w.admin, id, undefined)).body).toBe(
      pageStatusErrorXml('Subscription delete action was not selected'),
    );
    for (const action of ['0', '4', 'x', '12']) {
      expect((await del(w.admin, id, action)).body).toBe(
        pageStatusErrorXml('Subscription delete action was not found'),
      );
    }
    expect(await exists(id)).toBe(true);
  });

  it('realms and callers; the page example digest; /api path; idempotent refund', async () => {
    const r1User = await w.userOf(w.r1.id, { balance: '50' });
    const r1Sub = await subscribe(w.r1, r1User.id, await insertService(api, { ownerId: w.r1.id, price: '31' }));
    const adminSub = await subscribe(w.admin, (await postpaid()).id, await insertService(api));
    expect((await del(w.r2, r1Sub, '3')).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await del(w.r1, adminSub, '1')).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await del(w.accSub, r1Sub, '1')).body).toBe(pageStatusErrorXml('Subscription was not found'));
    expect((await del(w.accSubRead, adminSub, '1')).body).toBe(
      pageStatusErrorXml('You are not authorised to use this functionality'),
    );
    expect((await del(w.user, adminSub, '1')).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await del(w.partner, adminSub, '1')).body).toBe(pageStatusErrorXml('Access Denied'));
    const unknown = await api.call(
      'subscription_delete',
      { u: 'nobody', subscription_id: String(adminSub) },
      { hashOf: HASH },
    );
    expect(unknown.body).toBe(pageStatusErrorXml('Access Denied'));
    expect(await exists(adminSub)).toBe(true);
    expect(await api.hash({ subscription_id: '123', subscription_delete_action: '3' }, HASH, '456789')).toBe(
      'e0f93111f867ca5d424c0f0ebb6b678159086d00',
    );
    expect(
      (
        await w.admin.call(
          'subscription_delete',
          { subscription_id: String(adminSub), subscription_delete_action: '1' },
          ['subscription_id'],
        )
      ).body,
    ).toBe(statusErrorXml('Incorrect hash'));
    expect((await del(w.accSub, adminSub, '2', { prefix: '/api' })).body).toBe(successXml('Subscription disabled'));
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => del(w.r1, r1Sub, '3', { headers: { 'Idempotency-Key': 'sub-del-1' } })),
    );
    expect(answers.map((a) => a.body)).toEqual(Array(5).fill(successXml('Subscription deleted and money returned')));
    expect(await balanceOf(api, r1User.id)).toBe('50.000000');
    expect((await movementsOf(api, r1User.id)).map((m) => m.source)).toEqual(['subscription', 'subscription_refund']);
  });
});
