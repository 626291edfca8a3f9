import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { systemZone } from '../settings/systemZone.ts';
import { type InvoiceDocument, loadInvoices } from './loadInvoices.ts';
import { readableInvoices } from './scope.ts';

/** The most invoices one invoices_get answer carries (it has no paging; narrow with from/till). */
export const MAX_XML_INVOICES = 100_000;

export interface InvoicesInPeriod {
  /** The bounds as calendar dates in the system time zone, '' when not given. */
  from: string;
  till: string;
  invoices: InvoiceDocument[];
}

/**
 * invoices_get: the invoices the caller may read (the admin: its own realm) whose period starts on or
 * after the calendar date of `from` and ends on or before that of `till` (Unix seconds read in the
 * system time zone; absent = no bound).
 */
export async function invoicesInPeriod(ctx: Ctx, input: { from?: number; till?: number }): Promise<InvoicesInPeriod> {
  const zone = await systemZone(ctx.db);
  const scope = readableInvoices(ctx.actor, { adminOwnRealm: true });
  const [bounds] = await queryRows<{ from: string; till: string }>(
    ctx.db,
    sql`select coalesce(to_char((to_timestamp(${input.from ?? null}::bigint) at time zone ${zone}::text)::date, 'YYYY-MM-DD'), '') as from,
        coalesce(to_char((to_timestamp(${input.till ?? null}::bigint) at time zone ${zone}::text)::date, 'YYYY-MM-DD'), '') as till`,
  );
  const from = bounds?.from ?? '';
  const till = bounds?.till ?? '';
  const where = sql`${scope}
    ${from ? sql`and i.period_start >= ${from}::date` : sql``}
    ${till ? sql`and i.period_end <= ${till}::date` : sql``}`;
  return { from, till, invoices: await loadInvoices(ctx.db, where, zone, MAX_XML_INVOICES) };
}
