import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { RowId, UserId } from '../ids.ts';
import { CalendarDate } from './period.ts';
import { readableInvoices } from './scope.ts';

export const ListInvoices = v.strictObject({
  userId: v.optional(UserId),
  /** Realm: 0 = the admin's, else a reseller id. */
  ownerId: v.optional(UserId),
  /** Invoices whose period starts on or after / ends on or before these dates. */
  from: v.optional(CalendarDate),
  till: v.optional(CalendarDate),
  paid: v.optional(v.boolean()),
  /** The `nextCursor` of the previous page (invoices are listed newest first). */
  cursor: v.optional(RowId),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
});
export type ListInvoices = v.InferInput<typeof ListInvoices>;

export interface InvoiceSummary {
  id: number;
  number: string;
  userId: number;
  username: string;
  ownerId: number;
  periodStart: string;
  periodEnd: string;
  issueDate: string;
  invoiceType: string;
  currency: string;
  /** Invoice currency, cents. */
  total: string;
  totalWithTax: string;
  paid: boolean;
}

/** A page of the invoices the caller may read, newest first (keyset-paged by id). */
export async function listInvoices(
  ctx: Ctx,
  raw: ListInvoices = {},
): Promise<{ invoices: InvoiceSummary[]; nextCursor: number | null }> {
  const input = v.parse(ListInvoices, raw);
  const where: SQL[] = [readableInvoices(ctx.actor)];
  if (input.userId !== undefined) where.push(sql`i.user_id = ${input.userId}::int`);
  if (input.ownerId !== undefined) where.push(sql`i.owner_id = ${input.ownerId}::int`);
  if (input.from) where.push(sql`i.period_start >= ${input.from}::date`);
  if (input.till) where.push(sql`i.period_end <= ${input.till}::date`);
  if (input.paid !== undefined) where.push(sql`i.paid = ${input.paid}::boolean`);
  if (input.cursor) where.push(sql`i.id < ${input.cursor}::int`);
  const rows = await queryRows<InvoiceSummary>(
    ctx.db,
    sql`select i.id, i.number, i.user_id as "userId", u.username, i.owner_id as "ownerId",
        to_char(i.period_start, 'YYYY-MM-DD') as "periodStart", to_char(i.period_end, 'YYYY-MM-DD') as "periodEnd",
        to_char(i.issue_date, 'YYYY-MM-DD') as "issueDate", i.invoice_type as "invoiceType", i.currency,
        i.total::text as total, i.total_with_tax::text as "totalWithTax", i.paid
      from invoices i join users u on u.id = i.user_id
      where ${sql.join(where, sql` and `)}
      order by i.id desc limit ${input.limit + 1}`,
  );
  const more = rows.length > input.limit;
  const invoices = more ? rows.slice(0, input.limit) : rows;
  return { invoices, nextCursor: more ? (invoices.at(-1)?.id ?? null) : null };
}
