import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createUser, insertCard, nameUser, setConflines } from '../helpers/factories.ts';
import { type Caller, type MoneyWorld, moneyWorld, reconcileAfterEach } from '../helpers/money.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: MoneyWorld;
beforeAll(async () => {
  w = await moneyWorld(api);
});

const FILTERS = [
  's_user_id',
  's_from',
  's_till',
  's_transaction',
  's_completed',
  's_username',
  's_first_name',
  's_last_name',
  's_paymenttype',
  's_amount_min',
  's_amount_max',
  's_currency',
  's_number',
  's_pin',
];
const CREATE = ['user_id', 'p_currency', 'paymenttype', 'tax_in_amount', 'amount', 'transaction', 'payer_email'];

/** Makes a payment as `as` and returns its id. */
async function pay(as: Caller, params: Record<string, string>): Promise<number> {
  const res = await as.call('payment_create', params, CREATE);
  const id = /<payment_id>(\d+)<\/payment_id>/.exec(res.body)?.[1];
  if (!id) throw new Error(res.body);
  return Number(id);
}

const setDate = (id: number, iso: string) =>
  api.handle.db.execute(sql`update payments set date_added = ${iso}::timestamptz,
    confirmed_at = case when confirmed_at is null then null else ${iso}::timestamptz end where id = ${id}`);

const list = (as: Caller, params: Record<string, string> = {}, options = {}) =>
  as.call('payments_get', params, FILTERS, options);

/** `<type>` values of a payments_get answer, in order. */
const typesOf = (body: string) => [...body.matchAll(/<type>(.*)<\/type>/g)].map((m) => m[1]);
const usersOf = (body: string) => [...body.matchAll(/<user>(.*)<\/user>/g)].map((m) => m[1]);

const EMPTY = `${XML_DECL}\n<page>\n  <pagename>Payments_list</pagename>\n  <payments></payments>\n</page>\n`;

describe('payments_get', () => {
  it('lists a payment with every documented tag, in a period given by s_from and s_till', async () => {
    const user = await w.customer({ balance: '10' });
    await nameUser(api.handle, user.id, 'John', 'Smith');
    const id = await pay(w.admin, {
      user_id: String(user.id),
      p_currency: 'EUR',
      paymenttype: 'Manual',
      tax_in_amount: '1',
      amount: '100',
      transaction: '2S5sdf77',
      payer_email: 'john@example.com',
      comments_for_user: 'thanks',
    });
    await setDate(id, '2024-05-01T10:00:00Z');
    const res = await list(w.admin, {
      s_user_id: String(user.id),
      s_from: String(Date.parse('2024-05-01T00:00:00Z') / 1000),
      s_till: String(Date.parse('2024-05-01T23:59:59Z') / 1000),
    });
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <pagename>Payments_list</pagename>\n  <payments>\n    <payment>\n` +
        '      <user>John Smith</user>\n      <payer>john@example.com</payer>\n' +
        '      <transaction_id>2S5sdf77</transaction_id>\n      <date>2024-05-01 10:00:00</date>\n' +
        '      <confirm_date>2024-05-01 10:00:00</confirm_date>\n      <type>Manual</type>\n' +
        '      <amount>83.3333</amount>\n      <fee>0.0000</fee>\n      <amount_with_tax>100.0000</amount_with_tax>\n' +
        '      <currency>EUR</currency>\n      <completed>1</completed>\n      <confirmed_by_admin>1</confirmed_by_admin>\n' +
        '      <comments_for_user>thanks</comments_for_user>\n' +
        '      <user_balance_before_payment>10.0000</user_balance_before_payment>\n' +
        '      <user_balance_after_payment>114.1667</user_balance_after_payment>\n' +
        '    </payment>\n  </payments>\n</page>\n',
    );
    // The bounds are inclusive; outside them nothing.
    const after = { s_user_id: String(user.id), s_from: '1714557601', s_till: '1800000000' };
    expect((await list(w.admin, after)).body).toBe(EMPTY);
    const exact = { s_user_id: String(user.id), s_from: '1714557600', s_till: '1714557600' };
    expect(typesOf((await list(w.admin, exact)).body)).toEqual(['Manual']);
  });

  it("lists today's payments (caller's time zone) unless both s_from and s_till are sent", async () => {
    const user = await w.customer();
    const today = await pay(w.admin, {
      user_id: String(user.id),
      p_currency: 'USD',
      amount: '1',
      paymenttype: 'today',
    });
    const old = await pay(w.admin, { user_id: String(user.id), p_currency: 'USD', amount: '1', paymenttype: 'old' });
    await api.handle.db.execute(sql`update payments set date_added = now() - interval '3 days' where id = ${old}`);
    expect(today).toBeGreaterThan(0);
    for (const extra of [{}, { s_from: '0' }, { s_till: '4000000000' }] as Record<string, string>[]) {
      expect(typesOf((await list(w.admin, { s_user_id: String(user.id), ...extra })).body)).toEqual(['today']);
    }
    const both = { s_user_id: String(user.id), s_from: '0', s_till: '4000000000' };
    expect(typesOf((await list(w.admin, both)).body)).toEqual(['old', 'today']);
    // Today in Tokyo starts at Tokyo's midnight.
    await api.handle.db.update(users).set({ timeZone: 'Tokyo' }).where(eq(users.id, w.r1.id));
    api.changed();
    const mine = await w.customer({ ownerId: w.r1.id });
    const before = await pay(w.r1, { user_id: String(mine.id), p_currency: 'USD', amount: '1', paymenttype: 'before' });
    const after = await pay(w.r1, { user_id: String(mine.id), p_currency: 'USD', amount: '1', paymenttype: 'after' });
    const midnight = sql`(date_trunc('day', now() at time zone 'Asia/Tokyo') at time zone 'Asia/Tokyo')`;
    await api.handle.db.execute(
      sql`update payments set date_added = ${midnight} - interval '1 minute' where id = ${before}`,
    );
    await api.handle.db.execute(
      sql`update payments set date_added = ${midnight} + interval '1 minute' where id = ${after}`,
    );
    const res = await list(w.r1, { s_user_id: String(mine.id) });
    expect(typesOf(res.body)).toEqual(['after']);
    // Dates print in the caller's zone.
    const [row] = await queryRows<{ local: string }>(
      api.handle.db,
      sql`select to_char(now() at time zone 'Asia/Tokyo', 'YYYY-MM-DD') || ' 00:01:00' as local`,
    );
    expect(res.body).toContain(`<date>${row!.local}</date>`);
  });

  it('hashes the sent filters in documented order (example f7c3bc1d…); never the key alone with filters', async () => {
    expect(await api.hash({ s_user_id: '123' }, FILTERS, '456789')).toBe('f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    expect(await api.hash({}, [], '456789')).toBe('df2983700ffecb52e6649f0cb3981b66537083a4');
    const user = await w.customer();
    await pay(w.admin, { user_id: String(user.id), p_currency: 'USD', amount: '1', paymenttype: 'h' });
    const params = { s_user_id: String(user.id), s_from: '0', s_till: '4000000000', s_currency: 'USD' };
    expect(typesOf((await list(w.admin, params)).body)).toEqual(['h']);
    // The public PHP client's key-only digest signs none of the filters it sends: refused (an alternative
    // digest never leaves a sent hash parameter unsigned; sha1(key) is every key-only method's digest).
    expect((await w.admin.call('payments_get', params, [])).body).toBe(statusErrorXml('Incorrect hash'));
    for (const order of [['s_till', 's_from', 's_user_id', 's_currency'], ['s_user_id']]) {
      expect((await w.admin.call('payments_get', params, order)).body).toBe(statusErrorXml('Incorrect hash'));
    }
  });

  it('is served under the old name payments_list', async () => {
    const user = await w.customer();
    await pay(w.admin, { user_id: String(user.id), p_currency: 'USD', amount: '1', paymenttype: 'alias' });
    const res = await w.admin.call('payments_list', { s_user_id: String(user.id) }, FILTERS);
    expect(typesOf(res.body)).toEqual(['alias']);
  });

  it('filters by transaction, completed, names, type, amount range, currency (AND-ed)', async () => {
    const user = await w.customer({ username: `filt_${Date.now()}` });
    await nameUser(api.handle, user.id, 'Ann', 'Lee');
    const other = await w.customer();
    const base = { user_id: String(user.id), p_currency: 'USD' };
    await pay(w.admin, { ...base, amount: '5', paymenttype: 'PayPal', transaction: 'AB%1' });
    await pay(w.admin, { ...base, amount: '15', paymenttype: 'manual', transaction: 'AB_2' });
    await pay(w.admin, { ...base, p_currency: 'EUR', amount: '25', paymenttype: 'eur', transaction: 'CD3' });
    await pay(w.admin, { user_id: String(other.id), p_currency: 'USD', amount: '5', paymenttype: 'other' });
    await setConflines(api.handle, 0, { api_payment_confirmation: '1' });
    api.changed();
    await pay(w.admin, { ...base, amount: '35', paymenttype: 'waiting' });
    await setConflines(api.handle, 0, { api_payment_confirmation: '0' });
    api.changed();
    const q = async (params: Record<string, string>) => typesOf((await list(w.admin, params)).body);
    expect(await q({ s_user_id: String(user.id) })).toEqual(['PayPal', 'manual', 'eur', 'waiting']);
    // Prefixes: LIKE wildcards are literal.
    expect(await q({ s_transaction: 'AB%' })).toEqual(['PayPal']);
    expect(await q({ s_transaction: 'AB' })).toEqual(['PayPal', 'manual']);
    expect(await q({ s_user_id: String(user.id), s_completed: '0' })).toEqual(['waiting']);
    expect(await q({ s_user_id: String(user.id), s_completed: '1' })).toEqual(['PayPal', 'manual', 'eur']);
    expect(await q({ s_username: user.username.slice(0, 8), s_currency: 'USD' })).toEqual([
      'PayPal',
      'manual',
      'waiting',
    ]);
    expect(await q({ s_first_name: 'An', s_last_name: 'Le', s_paymenttype: 'MANUAL' })).toEqual(['manual']);
    expect(await q({ s_user_id: String(user.id), s_amount_min: '15', s_amount_max: '25' })).toEqual(['manual', 'eur']);
    expect(await q({ s_user_id: String(user.id), s_currency: 'eur' })).toEqual(['eur']);
    // A waiting payment: not completed, not confirmed, no confirm date, no balances yet.
    const waiting = (await list(w.admin, { s_user_id: String(user.id), s_completed: '0' })).body;
    expect(waiting).toContain(
      '<confirm_date></confirm_date>\n      <type>waiting</type>\n      <amount>35.0000</amount>',
    );
    expect(waiting).toContain(
      '<completed>0</completed>\n      <confirmed_by_admin>0</confirmed_by_admin>\n      <comments_for_user></comments_for_user>\n' +
        '      <user_balance_before_payment></user_balance_before_payment>\n' +
        '      <user_balance_after_payment></user_balance_after_payment>',
    );
  });

  it("includes calling-card payments, named by the card's number, found by s_number and s_pin", async () => {
    const group = await createCardGroup(api.handle);
    const card = await insertCard(api.handle, group, { number: '7700112233', pin: '443322' });
    await api.handle.db.execute(sql`insert into payments (card_id, owner_id, paymenttype, currency, amount, gross)
      values (${card.id}, 0, 'Card', 'USD', 3, 3)`);
    const res = await list(w.admin, { s_number: '7700112233' });
    expect(usersOf(res.body)).toEqual(['7700112233']);
    expect(typesOf((await list(w.admin, { s_pin: '443322' })).body)).toEqual(['Card']);
    expect((await list(w.admin, { s_number: '7700112233', s_pin: '000000' })).body).toBe(EMPTY);
    // Not a reseller's.
    expect((await list(w.r1, { s_number: '7700112233' })).body).toBe(EMPTY);
  });

  it('answers Invalid <parameter> for a malformed filter value', async () => {
    for (const [name, value] of [
      ['s_completed', 'yes'],
      ['s_amount_min', 'abc'],
      ['s_amount_max', '1e3'],
    ] as const) {
      expect((await list(w.admin, { [name]: value })).body).toBe(pageErrorXml(`Invalid ${name}`));
    }
    expect((await list(w.admin, { s_from: 'yesterday', s_till: '1' })).body).toBe(pageErrorXml('Invalid s_from'));
    expect((await list(w.admin, { s_from: '1', s_till: '-5' })).body).toBe(pageErrorXml('Invalid s_till'));
  });

  it('keeps every caller to its realm: the admin, resellers, accountants, simple users', async () => {
    const admins = await w.customer();
    const r1s = await w.customer({ ownerId: w.r1.id });
    const r2s = await w.customer({ ownerId: w.r2.id });
    await pay(w.admin, { user_id: String(admins.id), p_currency: 'USD', amount: '1', paymenttype: 'admins' });
    await pay(w.admin, { user_id: String(w.r1.id), p_currency: 'USD', amount: '1', paymenttype: 'r1-own' });
    await pay(w.r1, { user_id: String(r1s.id), p_currency: 'USD', amount: '1', paymenttype: 'r1s' });
    await pay(w.r2, { user_id: String(r2s.id), p_currency: 'USD', amount: '1', paymenttype: 'r2s' });
    const seen = async (as: Caller, params: Record<string, string> = {}) =>
      typesOf((await list(as, params)).body).filter((t) => ['admins', 'r1-own', 'r1s', 'r2s'].includes(t!));
    expect(await seen(w.admin)).toEqual(['admins', 'r1-own']);
    expect(await seen(w.accPayRead)).toEqual(['admins', 'r1-own']);
    expect(await seen(w.r1)).toEqual(['r1-own', 'r1s']);
    expect(await seen(w.r2)).toEqual(['r2s']);
    expect(await seen(w.r1, { s_user_id: String(w.r1.id) })).toEqual(['r1-own']);
    // Another realm's user: Access Denied, whoever asks.
    for (const [as, target] of [
      [w.r1, r2s.id],
      [w.r1, admins.id],
      [w.admin, r1s.id],
      [w.accPayRead, r2s.id],
    ] as const) {
      expect((await list(as, { s_user_id: String(target) })).body).toBe(pageErrorXml('Access Denied'));
    }
    expect((await list(w.admin, { s_user_id: 'x' })).body).toBe(pageErrorXml('Access Denied'));
    // Accountants need the Payments right; partners have no payments here.
    for (const acc of [w.accNone, w.accNotes, w.partner])
      expect((await list(acc)).body).toBe(pageErrorXml('Access Denied'));
  });

  it('shows a simple user only its own payments', async () => {
    const me = await createUser(api.handle);
    const someone = await w.customer();
    await pay(w.admin, { user_id: String(me.id), p_currency: 'USD', amount: '2', paymenttype: 'mine' });
    await pay(w.admin, { user_id: String(someone.id), p_currency: 'USD', amount: '2', paymenttype: 'theirs' });
    const as: Caller = {
      ...w.user,
      id: me.id,
      username: me.username,
      call: (m, p, h, o) => api.call(m, { u: me.username, ...p }, { hashOf: h, ...o }),
    };
    expect(typesOf((await list(as)).body)).toEqual(['mine']);
    expect(typesOf((await list(as, { s_user_id: String(me.id) })).body)).toEqual(['mine']);
    expect((await list(as, { s_user_id: String(someone.id) })).body).toBe(pageErrorXml('Access Denied'));
  });

  it('answers an empty list, Bad login for an unknown u', async () => {
    const user = await w.customer();
    expect((await list(w.admin, { s_user_id: String(user.id) })).body).toBe(EMPTY);
    expect((await api.call('payments_get', { u: 'nobody' }, { hashOf: [] })).body).toBe(pageErrorXml('Bad login'));
    expect((await api.call('payments_get', {}, { hashOf: [] })).body).toBe(pageErrorXml('Bad login'));
  });
});
