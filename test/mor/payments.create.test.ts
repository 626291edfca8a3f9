import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { actions } from '../../src/db/schema/actions.ts';
import { users } from '../../src/db/schema/users.ts';
import { hashString } from '../../src/mor/hash.ts';
import { Params } from '../../src/mor/params.ts';
import { findMethod } from '../../src/mor/registry.ts';
import { clientWith } from '../helpers/admin.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { setConflines } from '../helpers/factories.ts';
import {
  balanceOf,
  type MoneyWorld,
  moneyWorld,
  movementsOf,
  paymentsOf,
  reconcileAfterEach,
} from '../helpers/money.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: MoneyWorld;
beforeAll(async () => {
  w = await moneyWorld(api);
});

const HASH = ['user_id', 'p_currency', 'paymenttype', 'tax_in_amount', 'amount', 'transaction', 'payer_email'];

const ok = (id: number, confirmed: 'Yes' | 'No', currency: string, tax: string, amount: string, gross: string) =>
  `${XML_DECL}\n<page>\n  <response>\n    <status>ok</status>\n    <confirmed>${confirmed}</confirmed>\n` +
  `    <payment currency="${currency}">\n      <payment_id>${id}</payment_id>\n      <tax>${tax}</tax>\n` +
  `      <amount>${amount}</amount>\n      <gross>${gross}</gross>\n    </payment>\n  </response>\n</page>\n`;

const notSaved = (message: string) =>
  `${XML_DECL}\n<page>\n  <error>Payment was not saved<message>${message}</message></error>\n</page>\n`;

const pay = (as: { call: MoneyWorld['admin']['call'] }, params: Record<string, string>, options = {}) =>
  as.call('payment_create', params, HASH, options);

const setting = async (name: string, value: '0' | '1') => {
  await setConflines(api.handle, 0, { [name]: value });
  api.changed();
};

describe('payment_create', () => {
  it('records a completed payment: gross given, net converted to the system currency onto the balance', async () => {
    const user = await w.customer({ balance: '10' });
    const res = await pay(w.admin, {
      user_id: String(user.id),
      p_currency: 'EUR',
      paymenttype: 'Myname',
      tax_in_amount: '1',
      amount: '100',
      transaction: '2S5sdf77',
      payer_email: 'bla',
      comments_for_user: 'thanks',
    });
    const [payment] = await paymentsOf(api, user.id);
    expect(res.body).toBe(ok(payment!.id as number, 'Yes', 'EUR', '16.6667', '83.3333', '100.0000'));
    // 83.333333 EUR / 0.8 = 104.166666 USD (6 decimals, numeric arithmetic).
    expect(payment).toEqual({
      id: payment!.id,
      owner_id: 0,
      paymenttype: 'Myname',
      currency: 'EUR',
      amount: '83.333333',
      tax: '16.666667',
      gross: '100.000000',
      exchange_rate: '0.800000000000',
      completed: true,
      confirmation: 'not_needed',
      transaction_id: '2S5sdf77',
      payer_email: 'bla',
      comments_for_user: 'thanks',
      balance_before: '10.000000',
      balance_after: '114.166666',
      credit_note_id: null,
      confirmed: true,
    });
    expect(await balanceOf(api, user.id)).toBe('114.166666');
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '104.166666', balance_after: '114.166666', source: 'payment', source_id: payment!.id },
    ]);
    const [log] = await api.handle.db
      .select()
      .from(actions)
      .where(eq(actions.targetId, payment!.id as number));
    expect(log).toMatchObject({ action: 'payment_created', targetType: 'payment', userId: 0, data2: 'completed' });
  });

  it('adds the tax on top of a net amount (tax_in_amount absent or 0), type `api` by default', async () => {
    const user = await w.customer();
    for (const extra of [{}, { tax_in_amount: '0' }] as Record<string, string>[]) {
      const res = await pay(w.admin, { user_id: String(user.id), p_currency: 'USD', amount: '50.5', ...extra });
      expect(res.body).toContain('<tax>10.1000</tax>\n      <amount>50.5000</amount>\n      <gross>60.6000</gross>');
    }
    expect((await paymentsOf(api, user.id)).map((p) => p.paymenttype)).toEqual(['api', 'api']);
    expect(await balanceOf(api, user.id)).toBe('101.000000');
  });

  it('takes money away with a negative amount; a user without taxes pays no tax', async () => {
    const user = await w.customer({ balance: '5' });
    await api.handle.db.update(users).set({ taxId: null }).where(eq(users.id, user.id));
    const res = await pay(w.admin, { user_id: String(user.id), p_currency: 'EUR', amount: '-2', tax_in_amount: '1' });
    expect(res.body).toContain('<tax>0.0000</tax>\n      <amount>-2.0000</amount>\n      <gross>-2.0000</gross>');
    expect(await balanceOf(api, user.id)).toBe('2.500000');
  });

  it('leaves a payment waiting, balance untouched, while API Payment Confirmation is on; confirmation moves it', async () => {
    await setting('api_payment_confirmation', '1');
    try {
      const user = await w.customer({ balance: '1' });
      const res = await pay(w.admin, { user_id: String(user.id), p_currency: 'EUR', amount: '8' });
      const [payment] = await paymentsOf(api, user.id);
      expect(res.body).toBe(ok(payment!.id as number, 'No', 'EUR', '1.6000', '8.0000', '9.6000'));
      expect(payment).toMatchObject({
        completed: false,
        confirmation: 'waiting',
        balance_before: null,
        confirmed: false,
      });
      expect(await balanceOf(api, user.id)).toBe('1.000000');
      expect(await movementsOf(api, user.id)).toEqual([]);
      // The exchange rate stored with the payment converts it, even after the currency's rate changed.
      await api.handle.db.execute(sql`update currencies set exchange_rate = 0.5 where name = 'EUR'`);
      const confirmed = await clientWith(api, TEST.adminToken).payments.confirm.mutate({
        id: payment!.id as number,
      });
      expect(confirmed).toMatchObject({ completed: true, confirmation: 'confirmed', balanceAfter: '11.000000' });
      expect(await movementsOf(api, user.id)).toEqual([
        { amount: '10.000000', balance_after: '11.000000', source: 'payment', source_id: payment!.id },
      ]);
    } finally {
      await api.handle.db.execute(sql`update currencies set exchange_rate = 0.8 where name = 'EUR'`);
      await setting('api_payment_confirmation', '0');
    }
  });

  it("hashes the page's parameter order: its example 687a2cee… verifies, other orders do not", async () => {
    const example = {
      u: 'admin',
      user_id: '123',
      p_currency: 'EUR',
      paymenttype: 'Myname',
      tax_in_amount: '1',
      amount: '100',
      transaction: '2S5sdf77',
      payer_email: 'bla',
    };
    const method = findMethod('payment_create')!;
    expect(method.hash).toEqual(HASH);
    expect(hashString(method.hash!, new Params(new Map(Object.entries(example))), '456789')).toBe(
      '123EURMyname11002S5sdf77bla456789',
    );
    expect(await api.hash(example, HASH, '456789')).toBe('687a2cee0a61dee0bffa3bc8837e201a6a31af5d');
    // End to end with the page's key and user 123.
    await api.handle.db.execute(sql`insert into users (id, username, password, uniquehash, owner_id)
      values (123, 'user123', 'x', 'uh123', 0)`);
    await api.handle.db.execute(sql`select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users))`);
    await setConflines(api.handle, 0, { api_secret_key: '456789' });
    api.changed();
    try {
      const res = await api.call('payment_create', example, { hash: '687a2cee0a61dee0bffa3bc8837e201a6a31af5d' });
      expect(res.body).toContain('<status>ok</status>');
      expect(await balanceOf(api, 123)).toBe('125.000000');
    } finally {
      await setConflines(api.handle, 0, { api_secret_key: TEST.apiSecretKey });
      api.changed();
    }
    const user = await w.customer();
    const params = { user_id: String(user.id), p_currency: 'USD', amount: '1', paymenttype: 'x', transaction: 't' };
    for (const order of [[...HASH].reverse(), ['user_id', 'p_currency', 'amount'], []]) {
      expect((await w.admin.call('payment_create', params, order)).body).toBe(statusErrorXml('Incorrect hash'));
    }
    expect((await w.admin.call('payment_create', params, [], { hash: null })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    // comments_for_user and u are not hashed.
    const res = await pay(w.admin, { ...params, comments_for_user: 'hello' });
    expect(res.body).toContain('<status>ok</status>');
    expect(await balanceOf(api, user.id)).toBe('1.000000');
  });

  it("accepts the PHP client's user_id + p_currency + amount digest only when nothing else hashed is sent", async () => {
    const user = await w.customer();
    const short = ['user_id', 'p_currency', 'amount'];
    const bare = { user_id: String(user.id), p_currency: 'USD', amount: '2' };
    expect((await w.admin.call('payment_create', bare, short)).body).toContain('<status>ok</status>');
    // The same digest does not cover tax_in_amount, paymenttype, transaction or payer_email.
    for (const extra of [
      { tax_in_amount: '1' },
      { paymenttype: 'x' },
      { transaction: 't' },
      { payer_email: 'e' },
    ] as Record<string, string>[]) {
      expect((await w.admin.call('payment_create', { ...bare, ...extra }, short)).body).toBe(
        statusErrorXml('Incorrect hash'),
      );
    }
    expect(await balanceOf(api, user.id)).toBe('2.000000');
  });

  it('is served under the old name create_payment and under /api', async () => {
    const user = await w.customer();
    const params = { user_id: String(user.id), p_currency: 'USD', amount: '1' };
    expect((await w.admin.call('create_payment', params, HASH)).body).toContain('<confirmed>Yes</confirmed>');
    expect((await pay(w.admin, params, { prefix: '/api' })).body).toContain('<confirmed>Yes</confirmed>');
    expect(await paymentsOf(api, user.id)).toHaveLength(2);
  });

  it('answers Bad login for an unknown or missing u', async () => {
    const params = { user_id: '1', p_currency: 'USD', amount: '1' };
    expect((await api.call('payment_create', { ...params, u: 'nobody' }, { hashOf: HASH })).body).toBe(
      pageErrorXml('Bad login'),
    );
    expect((await api.call('payment_create', params, { hashOf: HASH })).body).toBe(pageErrorXml('Bad login'));
  });

  it('answers Feature Disabled while API allow Payments is off, before the role check', async () => {
    const user = await w.customer();
    await setting('allow_api_payments', '0');
    try {
      for (const caller of [w.admin, w.user, w.accNone]) {
        const res = await pay(caller, { user_id: String(user.id), p_currency: 'USD', amount: '1' });
        expect(res.body).toBe(pageErrorXml('Feature Disabled'));
      }
    } finally {
      await setting('allow_api_payments', '1');
    }
    expect(await paymentsOf(api, user.id)).toEqual([]);
  });

  it('answers Access Denied to simple users, accountants without Payments (write), partners', async () => {
    const user = await w.customer();
    for (const caller of [w.user, w.partner, w.accPayRead, w.accNone, w.accNotes]) {
      const res = await pay(caller, { user_id: String(user.id), p_currency: 'USD', amount: '1' });
      expect(res.body).toBe(pageErrorXml('Access Denied'));
    }
    // A simple user cannot pay into its own balance either.
    const own = await pay(w.user, { user_id: String(w.user.id), p_currency: 'USD', amount: '1' });
    expect(own.body).toBe(pageErrorXml('Access Denied'));
    expect(await paymentsOf(api, user.id)).toEqual([]);
  });

  it('lets an accountant with Payments (write) pay into the admin realm only', async () => {
    const user = await w.customer();
    const resellers = await w.customer({ ownerId: w.r1.id });
    expect((await pay(w.accPay, { user_id: String(user.id), p_currency: 'USD', amount: '3' })).body).toContain(
      '<status>ok</status>',
    );
    for (const target of [resellers.id, 0, w.accPay.id]) {
      const res = await pay(w.accPay, { user_id: String(target), p_currency: 'USD', amount: '3' });
      expect(res.body).toBe(pageErrorXml('Access Denied'));
    }
    expect(await balanceOf(api, user.id)).toBe('3.000000');
  });

  it("makes a reseller's user's payment the reseller's income, with the reseller's own key", async () => {
    const mine = await w.customer({ ownerId: w.r1.id, balance: '0' });
    const theirs = await w.customer({ ownerId: w.r2.id, balance: '0' });
    const admins = await w.customer({ balance: '0' });
    const res = await pay(w.r1, { user_id: String(mine.id), p_currency: 'EUR', amount: '4' });
    expect(res.body).toContain('<status>ok</status>');
    expect(await paymentsOf(api, mine.id)).toMatchObject([{ owner_id: w.r1.id, amount: '4.000000' }]);
    expect(await balanceOf(api, mine.id)).toBe('5.000000');
    expect(await balanceOf(api, w.r1.id)).toBe('0.000000');
    // Never another realm's user (answered like a wrong role), never itself, never the admin.
    for (const target of [theirs.id, admins.id, w.r1.id, w.r2.id, 0]) {
      const denied = await pay(w.r1, { user_id: String(target), p_currency: 'EUR', amount: '4' });
      expect(denied.body).toBe(pageErrorXml('Access Denied'));
    }
    expect(await balanceOf(api, theirs.id)).toBe('0.000000');
    // The admin does not pay into a reseller's realm either.
    const adminTry = await pay(w.admin, { user_id: String(mine.id), p_currency: 'EUR', amount: '4' });
    expect(adminTry.body).toBe(pageErrorXml('Access Denied'));
    // The reseller's key, not the admin's.
    const wrongKey = await pay(w.r1, { user_id: String(mine.id), p_currency: 'EUR', amount: '4' }, { key: 'secret' });
    expect(wrongKey.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers Access Denied for a missing, malformed or unknown user_id', async () => {
    for (const user_id of ['', 'abc', '-1', '99999999', '1.5']) {
      const res = await pay(w.admin, { user_id, p_currency: 'USD', amount: '1' });
      expect(res.body).toBe(pageErrorXml('Access Denied'));
    }
  });

  it('answers No currency for an unknown, inactive or missing p_currency', async () => {
    const user = await w.customer();
    for (const p_currency of ['XYZ', 'OLD', '']) {
      const res = await pay(w.admin, { user_id: String(user.id), p_currency, amount: '1' });
      expect(res.body).toBe(pageErrorXml('No currency'));
    }
    // Codes are matched in any case.
    expect((await pay(w.admin, { user_id: String(user.id), p_currency: 'eur', amount: '1' })).body).toContain(
      '<payment currency="EUR">',
    );
  });

  it('answers Payment was not saved with a message for a bad amount, and stores nothing', async () => {
    const user = await w.customer({ balance: '7' });
    for (const amount of ['', 'abc', '1e3', '12,5', '999999999999999', '--1']) {
      const res = await pay(w.admin, { user_id: String(user.id), p_currency: 'USD', amount });
      expect(res.body).toBe(notSaved('Amount must be numeric'));
    }
    // Fits the amount column, not the balance.
    const huge = await pay(w.admin, { user_id: String(user.id), p_currency: 'USD', amount: '99999999999999' });
    expect(huge.body).toBe(notSaved('Amount is too large'));
    expect(await paymentsOf(api, user.id)).toEqual([]);
    expect(await balanceOf(api, user.id)).toBe('7.000000');
  });

  it('refuses GET while Allow GET API is off', async () => {
    const res = await pay(w.admin, { user_id: '1', p_currency: 'USD', amount: '1' }, { verb: 'GET' });
    expect(res.body).toBe(statusErrorXml('GET Requests are disabled'));
  });
});

describe('payment_create exactly once', () => {
  it('records one payment and one movement for 50 concurrent retries with one key, answered alike', async () => {
    const user = await w.customer({ balance: '0' });
    const params = { user_id: String(user.id), p_currency: 'EUR', amount: '10', tax_in_amount: '1' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => pay(w.admin, params, { headers: { 'Idempotency-Key': 'pay-0001' } })),
    );
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    const payments = await paymentsOf(api, user.id);
    expect(payments).toHaveLength(1);
    expect(answers[0]!.body).toBe(ok(payments[0]!.id as number, 'Yes', 'EUR', '1.6667', '8.3333', '10.0000'));
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    // The alias with the key as a parameter is the same request: same answer, nothing moves.
    const again = await w.admin.call('create_payment', { ...params, idempotency_key: 'pay-0001' }, HASH, {
      as: 'form',
    });
    expect(again.body).toBe(answers[0]!.body);
    // The same key for another request is refused and changes nothing.
    const other = await pay(w.admin, { ...params, amount: '11' }, { headers: { 'Idempotency-Key': 'pay-0001' } });
    expect(other.body).toBe(pageErrorXml('Idempotency key was already used for another request'));
    expect(await paymentsOf(api, user.id)).toHaveLength(1);
    expect(await balanceOf(api, user.id)).toBe('10.416666');
  });

  it('stores nothing for a refused request: its retry runs again', async () => {
    const user = await w.customer({ balance: '0' });
    await setting('allow_api_payments', '0');
    const params = { user_id: String(user.id), p_currency: 'USD', amount: '1' };
    const first = await pay(w.admin, params, { headers: { 'Idempotency-Key': 'pay-0002' } });
    expect(first.body).toBe(pageErrorXml('Feature Disabled'));
    await setting('allow_api_payments', '1');
    const retry = await pay(w.admin, params, { headers: { 'Idempotency-Key': 'pay-0002' } });
    expect(retry.body).toContain('<status>ok</status>');
    const rows = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from idempotency_keys where key = 'pay-0002'`,
    );
    expect(rows[0]!.n).toBe(1);
  });
});
