import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows.ts';
import { creditNotes, services, subscriptionCharges, subscriptions } from '../../src/db/schema/finance.ts';
import { payments } from '../../src/db/schema/payments.ts';
import type { DbHandle } from '../../src/db/types.ts';

/*
 * Money-document fixtures for the invoice and statement tests: rows written directly (the methods that
 * create services, subscriptions, payments and credit notes belong to other families).
 */

export async function createService(handle: DbHandle, values: Partial<typeof services.$inferInsert> = {}) {
  const [row] = await handle.db
    .insert(services)
    .values({ name: `svc_${Math.random().toString(36).slice(2, 8)}`, type: 'periodic_fee', price: '10', ...values })
    .returning();
  return row!;
}

/** A subscription of `userId` to `serviceId`, active from `start` (ISO) until `end` (ISO, or open). */
export async function createSubscription(
  handle: DbHandle,
  userId: number,
  serviceId: number,
  start: string,
  end: string | null = null,
  values: Partial<typeof subscriptions.$inferInsert> = {},
) {
  const [row] = await handle.db
    .insert(subscriptions)
    .values({
      userId,
      serviceId,
      activationStart: new Date(start),
      activationEnd: end ? new Date(end) : null,
      ...values,
    })
    .returning();
  return row!;
}

export async function insertCharge(
  handle: DbHandle,
  values: {
    subscriptionId: number;
    userId: number;
    periodStart: string;
    periodEnd: string;
    amount: string;
    refunded?: string;
  },
) {
  const [row] = await handle.db.insert(subscriptionCharges).values(values).returning();
  return row!;
}

export async function insertPayment(handle: DbHandle, values: Partial<typeof payments.$inferInsert>) {
  const [row] = await handle.db
    .insert(payments)
    .values({ paymenttype: 'manual', currency: 'USD', amount: '0', gross: '0', ...values })
    .returning();
  return row!;
}

export async function insertCreditNote(handle: DbHandle, values: Partial<typeof creditNotes.$inferInsert>) {
  const [row] = await handle.db
    .insert(creditNotes)
    .values({ userId: 0, issueDate: new Date(), price: '0', priceWithVat: '0', ...values })
    .returning();
  return row!;
}

/** Sets users' columns the fixtures do not (postpaid, tax, currency, generate_invoice, names …). */
export async function setUser(handle: DbHandle, userId: number, set: Record<string, string | number | boolean | null>) {
  for (const [column, value] of Object.entries(set)) {
    await handle.db.execute(sql`update users set ${sql.identifier(column)} = ${value} where id = ${userId}`);
  }
}

export const rowsOf = <T>(handle: DbHandle, query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);
