import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { users } from '../../src/db/schema/users.ts';
import { vouchers } from '../../src/db/schema/vouchers.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createCurrency, createReseller, createUser } from '../helpers/factories.ts';
import { DECL } from './devicesWorld.ts';

const api = useTestApp();
let admin: Awaited<ReturnType<typeof callerAs>>;
let user: Awaited<ReturnType<typeof createUser>>;
let reseller: Awaited<ReturnType<typeof createReseller>>;
let resellersUser: Awaited<ReturnType<typeof createUser>>;
let accountant: Awaited<ReturnType<typeof createAccountant>>;
const RESELLER_KEY = 'voucher-reseller-key';

const use = (u: string, number: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  api
    .call('voucher_use', { u, voucher_number: number, ...params }, { hashOf: ['voucher_number'], headers })
    .then((r) => r.body);
const balanceOf = async (id: number) =>
  (await api.handle.db.select({ b: users.balance }).from(users).where(eq(users.id, id)))[0]!.b;
const paymentsOf = (id: number) =>
  queryRows<{ n: number }>(api.handle.db, sql`select count(*)::int as n from payments where user_id = ${id}::int`).then(
    (r) => r[0]!.n,
  );

async function batch(count: number, extra: Partial<Parameters<typeof admin.vouchers.generate>[0]> = {}) {
  const made = await admin.vouchers.generate({ count, amount: '20', currency: 'USD', ...extra });
  return made.vouchers;
}

beforeAll(async () => {
  admin = await callerAs(api, 'admin');
  user = await createUser(api.handle);
  reseller = await createReseller(api.handle, RESELLER_KEY);
  resellersUser = await createUser(api.handle, { ownerId: reseller.id });
  accountant = await createAccountant(api.handle, { payments_manage: 2 });
  await createCurrency(api.handle, 'EUR', '0.5');
  await admin.settings.update({ vouchersEnabled: true });
  api.changed();
});

describe('vouchers.generate / list / disable', () => {
  it('makes random, distinct, non-sequential codes with tag, tax and expiry; admin only', async () => {
    const made = await admin.vouchers.generate({
      count: 200,
      amount: '10',
      currency: 'eur',
      taxPercent: '21',
      tag: 'batch-1',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(made.tag).toBe('batch-1');
    const codes = made.vouchers.map((x) => x.number);
    expect(new Set(codes).size).toBe(200);
    expect(codes.every((c) => /^\d{12}$/.test(c))).toBe(true);
    // Not sequential: consecutive codes differ by more than a step of one almost always.
    const steps = codes.slice(1).filter((c, i) => BigInt(c) - BigInt(codes[i]!) === 1n).length;
    expect(steps).toBe(0);
    const listed = await admin.vouchers.list({ tag: 'batch-1', state: 'usable' });
    expect(listed).toHaveLength(200);
    expect(listed[0]).toMatchObject({
      currency: 'EUR',
      creditWithoutTax: '10.000000',
      creditWithTax: '12.100000',
      expiresAt: '2099-01-01T00:00:00Z',
      usedAt: null,
    });
    expect(await admin.vouchers.disable({ id: made.vouchers[0]!.id })).toEqual({ disabled: 1 });
    expect(await admin.vouchers.disable({ tag: 'batch-1' })).toEqual({ disabled: 199 });
    expect(await admin.vouchers.list({ tag: 'batch-1', state: 'usable' })).toEqual([]);
    const asUser = await callerAs(api, user.username);
    expect((await trpcError(() => asUser.vouchers.generate({ count: 1, amount: '1', currency: 'USD' }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await trpcError(() => admin.vouchers.generate({ count: 1, amount: '0', currency: 'USD' }))).code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('voucher_use', () => {
  it('pays the net credit converted to the system currency, answers the documented XML', async () => {
    const [v] = await batch(1, { currency: 'EUR', taxPercent: '21', amount: '10' });
    const before = await balanceOf(user.id);
    expect(before).toBe('0.000000');
    const body = await use('admin', v!.number, { user_id: String(user.id) });
    const paymentId = Number(/<payment_id>(\d+)</.exec(body)?.[1]);
    expect(body).toBe(
      `${DECL}\n<page>\n  <status>\n    <status>Voucher used to update balance</status>\n` +
        `    <voucher_number>${v!.number}</voucher_number>\n    <voucher_id>${v!.id}</voucher_id>\n` +
        '    <credit_with_tax>12.1</credit_with_tax>\n    <credit_without_tax>10.0</credit_without_tax>\n' +
        '    <currency>EUR</currency>\n    <credit_in_default_currency>20.0</credit_in_default_currency>\n' +
        `    <user_id>${user.id}</user_id>\n    <balance_after_voucher_use>20.0</balance_after_voucher_use>\n` +
        `    <payment_id>${paymentId}</payment_id>\n  </status>\n</page>\n`,
    );
    const [payment] = await queryRows<Record<string, string>>(
      api.handle.db,
      sql`select paymenttype, currency, amount::text, gross::text, tax::text, balance_after::text as after from payments where id = ${paymentId}::int`,
    );
    expect(payment).toEqual({
      paymenttype: 'voucher',
      currency: 'EUR',
      amount: '10.000000',
      gross: '12.100000',
      tax: '2.100000',
      after: '20.000000',
    });
    const [ledger] = await queryRows<{ amount: string }>(
      api.handle.db,
      sql`select amount::text from ledger where source = 'payment' and source_id = ${paymentId}::int`,
    );
    expect(ledger?.amount).toBe('20.000000');
    // Used: a second use finds nothing.
    expect(await use('admin', v!.number, { user_id: String(user.id) })).toBe(pageErrorXml('Voucher was not found'));
  });

  it('refuses unknown, disabled and expired vouchers, bad targets and callers, and when switched off', async () => {
    const [a, b, c] = await batch(3);
    await admin.vouchers.disable({ id: a!.id });
    await api.handle.db
      .update(vouchers)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(vouchers.id, b!.id));
    for (const number of ['000', a!.number, b!.number]) {
      expect(await use(user.username, number)).toBe(pageErrorXml('Voucher was not found'));
    }
    // Targets: another realm's user, a missing one, a non-admin naming someone else.
    for (const target of [String(resellersUser.id), '999999', 'x', '0']) {
      expect(await use('admin', c!.number, { user_id: target })).toBe(pageErrorXml('User was not found'));
    }
    expect(await use(user.username, c!.number, { user_id: String(reseller.id) })).toBe(
      pageErrorXml('User was not found'),
    );
    // Callers: a reseller's user and an accountant are refused; unknown u too.
    const asResellersUser = await api
      .call(
        'voucher_use',
        { u: resellersUser.username, voucher_number: c!.number },
        { hashOf: ['voucher_number'], key: RESELLER_KEY },
      )
      .then((r) => r.body);
    expect(asResellersUser).toBe(pageErrorXml('Access Denied'));
    expect(await use(accountant.username, c!.number)).toBe(pageErrorXml('Access Denied'));
    expect(await use('nobody', c!.number)).toBe(pageErrorXml('Access Denied'));
    expect(
      await api.call('voucher_use', { u: 'admin', voucher_number: c!.number }, { hashOf: [] }).then((r) => r.body),
    ).toBe(statusErrorXml('Incorrect hash'));
    await admin.settings.update({ vouchersEnabled: false });
    expect(await use(user.username, c!.number)).toBe(pageErrorXml('Vouchers Disabled'));
    await admin.settings.update({ vouchersEnabled: true });
    // A reseller (an admin-owned account) uses one on itself, with its own key.
    const own = await api
      .call(
        'voucher_use',
        { u: reseller.username, voucher_number: c!.number },
        { hashOf: ['voucher_number'], key: RESELLER_KEY },
      )
      .then((r) => r.body);
    expect(own).toContain(`<user_id>${reseller.id}</user_id>`);
    expect(own).toContain('<balance_after_voucher_use>20.0</balance_after_voucher_use>');
  });

  it('the same voucher used 50 times at once pays exactly once', async () => {
    const target = await createUser(api.handle);
    api.changed();
    const [v] = await batch(1);
    const bodies = await Promise.all(Array.from({ length: 50 }, () => use(target.username, v!.number)));
    expect(bodies.filter((b) => b.includes('Voucher used to update balance'))).toHaveLength(1);
    expect(bodies.filter((b) => b === pageErrorXml('Voucher was not found'))).toHaveLength(49);
    expect(await balanceOf(target.id)).toBe('20.000000');
    expect(await paymentsOf(target.id)).toBe(1);
  });

  it('an idempotency key replays the first answer instead of failing the retry', async () => {
    const target = await createUser(api.handle);
    api.changed();
    const [v] = await batch(1);
    const first = await use(target.username, v!.number, {}, { 'Idempotency-Key': 'voucher-0001' });
    expect(first).toContain('Voucher used to update balance');
    expect(await use(target.username, v!.number, {}, { 'Idempotency-Key': 'voucher-0001' })).toBe(first);
    expect(await use(target.username, v!.number)).toBe(pageErrorXml('Voucher was not found'));
    expect(await paymentsOf(target.id)).toBe(1);
  });
});
