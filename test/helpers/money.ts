import { eq, sql } from 'drizzle-orm';
import { afterEach, expect } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { users } from '../../src/db/schema/users.ts';
import { clientWith } from './admin.ts';
import type { CallOptions, TestApi } from './app.ts';
import { TEST } from './db.ts';
import {
  createAccountant,
  createCurrency,
  createReseller,
  createTax,
  createUser,
  setConflines,
  type UserFixture,
} from './factories.ts';

export interface Caller {
  id: number;
  username: string;
  key: string;
  /** Calls a method as this account: `u` added, hash over `hashOf` with this account's key. */
  call(
    method: string,
    params?: Record<string, string>,
    hashOf?: readonly string[],
    options?: CallOptions,
  ): Promise<{ status: number; body: string; headers: Headers }>;
}

export const callerOf = (api: TestApi, id: number, username: string, key: string): Caller => ({
  id,
  username,
  key,
  call: (method, params = {}, hashOf = [], options = {}) =>
    api.call(method, { u: username, ...params }, { hashOf, key, ...options }),
});

/**
 * Every role of the payments and credit-notes families: the admin, two resellers (keys r1-key,
 * r2-key), accountants with and without Payments / Manage invoices / See financial data, a simple
 * user. EUR at 0.8 per USD (inactive OLD at 2); "API allow Payments" on, confirmation off.
 */
export async function moneyWorld(api: TestApi) {
  const h = api.handle;
  const of = (row: { id: number; username: string }, key: string = TEST.apiSecretKey) =>
    callerOf(api, row.id, row.username, key);
  await createCurrency(h, 'EUR', '0.8');
  await createCurrency(h, 'OLD', '2', false);
  const tax = await createTax(h, { tax1Name: 'VAT', tax1Value: '20' });
  await setConflines(h, 0, { allow_api_payments: '1', api_payment_confirmation: '0' });
  api.changed();
  const world = {
    tax,
    admin: callerOf(api, 0, TEST.adminUsername, TEST.apiSecretKey),
    r1: of(await createReseller(h, 'r1-key'), 'r1-key'),
    r2: of(await createReseller(h, 'r2-key'), 'r2-key'),
    /** Payments: write, read, none. */
    accPay: of(await createAccountant(h, { payments_manage: 2 })),
    accPayRead: of(await createAccountant(h, { payments_manage: 1 })),
    accNone: of(await createAccountant(h, {})),
    /** Manage invoices + See financial data: both write; read + read; read without financial data. */
    accNotes: of(await createAccountant(h, { invoices_manage: 2, see_financial_data: 2 })),
    accNotesRead: of(await createAccountant(h, { invoices_manage: 1, see_financial_data: 1 })),
    accNotesBlind: of(await createAccountant(h, { invoices_manage: 2 })),
    user: of(await createUser(h)),
    partner: of(await createUser(h, { usertype: 'partner' })),
    /** A fresh customer with the 20% tax (default: the admin's). */
    customer: async (input: UserFixture = {}) => {
      const row = await createUser(h, input);
      await h.db.update(users).set({ taxId: tax.id }).where(eq(users.id, row.id));
      return row;
    },
  };
  return world;
}

export type MoneyWorld = Awaited<ReturnType<typeof moneyWorld>>;

/** After every test of the file: the admin's reconciliation of every account is clean. */
export function reconcileAfterEach(api: TestApi) {
  afterEach(async () => {
    const books = await clientWith(api, TEST.adminToken).ledger.reconcile.query();
    expect(books.differences).toEqual([]);
  });
}

export const balanceOf = async (api: TestApi, id: number) =>
  (await api.handle.db.select({ b: users.balance }).from(users).where(eq(users.id, id)))[0]!.b;

export const movementsOf = (api: TestApi, userId: number) =>
  queryRows<{ amount: string; balance_after: string; source: string; source_id: number | null }>(
    api.handle.db,
    sql`select amount::text, balance_after::text, source, source_id::int from ledger
      where user_id = ${userId} and source <> 'opening' order by id`,
  );

export const paymentsOf = (api: TestApi, userId: number) =>
  queryRows<Record<string, unknown>>(
    api.handle.db,
    sql`select id, owner_id, paymenttype, currency, amount::text, tax::text, gross::text, exchange_rate::text,
        completed, confirmation, transaction_id, payer_email, comments_for_user, balance_before::text,
        balance_after::text, credit_note_id, confirmed_at is not null as confirmed
      from payments where user_id = ${userId} order by id`,
  );

export const notesOf = (api: TestApi, userId: number) =>
  queryRows<Record<string, unknown>>(
    api.handle.db,
    sql`select id, owner_id, number, to_char(issue_date at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issue_date,
        price::text, price_with_vat::text, taxes, comment, status, pay_date is not null as paid_at, payment_id
      from credit_notes where user_id = ${userId} order by id`,
  );

/** Creates an unpaid credit note as the admin (XML) and returns its id. */
export async function noteFor(
  api: TestApi,
  as: Caller,
  userId: number,
  price: string,
  extra: Record<string, string> = {},
): Promise<number> {
  const res = await as.call(
    'credit_note_create',
    { user_id: String(userId), price, issue_date: '1714557600', ...extra },
    ['user_id', 'number'],
  );
  if (!res.body.includes('Credit note was created')) throw new Error(res.body);
  const [row] = await queryRows<{ id: number }>(
    api.handle.db,
    sql`select max(id) as id from credit_notes where user_id = ${userId}`,
  );
  return row!.id;
}
