import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { logAction } from '../actions/logAction.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { systemZone } from '../settings/systemZone.ts';
import { InvoicePeriod } from './period.ts';
import { writeBatch } from './writeBatch.ts';

export const GenerateInvoices = v.pipe(
  v.object({
    /** First and last day of the period (system time zone), e.g. 2026-01-01 … 2026-01-31. */
    periodStart: v.string(),
    periodEnd: v.string(),
    /** Only these users (default: every user of the caller's realms that gets invoices). */
    userIds: v.optional(v.pipe(v.array(UserId), v.minLength(1), v.maxLength(100_000))),
  }),
  v.check((input) => v.is(InvoicePeriod, input), 'Invalid period'),
);
export type GenerateInvoices = v.InferInput<typeof GenerateInvoices>;

export interface RealmResult {
  /** 0 = the admin's realm, else the reseller's id. */
  ownerId: number;
  created: number;
  /** Numbers of the first and last invoice made (consecutive), null when none. */
  firstNumber: string | null;
  lastNumber: string | null;
}

export interface GenerateResult {
  periodStart: string;
  periodEnd: string;
  created: number;
  realms: RealmResult[];
}

/** Users invoiced in one transaction (bounded transactions; the realm's counter lock is short). */
const BATCH = 2_000;

/** Accounts that get invoices: customers and resellers (never the admin or accountants). */
const INVOICED = sql`u.id <> 0 and u.usertype in ('user', 'reseller', 'partner') and u.generate_invoice`;

export const invoiceNumber = (seq: number) => `INV${String(seq).padStart(7, '0')}`;

/**
 * Generates the invoices of a period for every invoiced user of `realms` (null: all realms),
 * optionally only `userIds`: one invoice per user and period, from every line source, numbered
 * gap-free per realm (see writeBatch). Idempotent: users already invoiced for an overlapping period
 * are skipped. No actor: the monthly job and the tRPC procedure both call it.
 */
export async function generateInvoicesFor(
  ctx: { db: Db; clock: () => Date },
  input: { periodStart: string; periodEnd: string; userIds?: readonly number[] },
  realms: readonly number[] | null,
): Promise<GenerateResult> {
  const zone = await systemZone(ctx.db);
  const now = ctx.clock().toISOString();
  const [{ today } = { today: now.slice(0, 10) }] = await queryRows<{ today: string }>(
    ctx.db,
    sql`select to_char((${now}::timestamptz at time zone ${zone}::text)::date, 'YYYY-MM-DD') as today`,
  );
  const filter: SQL[] = [INVOICED];
  if (realms) filter.push(sql`u.owner_id = any(${`{${realms.join(',')}}`}::int[])`);
  if (input.userIds) filter.push(sql`u.id = any(${`{${input.userIds.join(',')}}`}::int[])`);
  const where = sql.join(filter, sql` and `);
  const owners = await queryRows<{ owner: number }>(
    ctx.db,
    sql`select distinct u.owner_id as owner from users u where ${where} order by 1`,
  );
  const result: GenerateResult = { periodStart: input.periodStart, periodEnd: input.periodEnd, created: 0, realms: [] };
  for (const { owner } of owners) {
    const realm: RealmResult = { ownerId: owner, created: 0, firstNumber: null, lastNumber: null };
    let cursor = -1;
    for (;;) {
      const ids = await queryRows<{ id: number }>(
        ctx.db,
        // Users already invoiced are left out here too (writeBatch checks again under the lock), so a
        // re-run of a finished period costs a scan, not a locked batch per 2,000 users.
        sql`select u.id from users u where ${where} and u.owner_id = ${owner}::int and u.id > ${cursor}::int
            and not exists (select 1 from invoices i where i.user_id = u.id
              and i.period_start <= ${input.periodEnd}::date and i.period_end >= ${input.periodStart}::date)
          order by u.id limit ${BATCH}`,
      );
      if (ids.length === 0) break;
      cursor = ids.at(-1)!.id;
      const batch = await writeBatch(ctx.db, {
        realm: owner,
        userIds: ids.map((r) => r.id),
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        zone,
        issueDate: today,
        now,
      });
      realm.created += batch.created;
      if (batch.first !== null) realm.firstNumber ??= invoiceNumber(batch.first);
      if (batch.last !== null) realm.lastNumber = invoiceNumber(batch.last);
      if (ids.length < BATCH) break;
    }
    result.created += realm.created;
    result.realms.push(realm);
  }
  return result;
}

/** The realms an actor generates invoices for: admin all, accountant (financial data write) the admin's, reseller its own. */
function realmsOf(ctx: Ctx): number[] | null {
  const { actor } = ctx;
  if (actor.usertype === 'admin') return null;
  if (actor.usertype === 'accountant' && hasRight(actor, 'see_financial_data', 2)) return [0];
  if (actor.usertype === 'reseller') return [actor.id];
  throw forbidden('generate_invoices', 'You are not authorized to generate invoices');
}

/**
 * tRPC `invoices.generate`: the period's invoices for the caller's realms (or the listed users, which
 * must all be in reach: else NOT_FOUND). Action-log row `invoices_generated` (period, count).
 */
export async function generateInvoices(ctx: Ctx, raw: GenerateInvoices): Promise<GenerateResult> {
  const input = v.parse(GenerateInvoices, raw);
  const realms = realmsOf(ctx);
  if (input.userIds) {
    const ids = [...new Set(input.userIds)];
    const [row] = await queryRows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from users u where u.id = any(${`{${ids.join(',')}}`}::int[]) and u.id <> 0
        ${realms ? sql`and u.owner_id = any(${`{${realms.join(',')}}`}::int[])` : sql``}`,
    );
    if ((row?.n ?? 0) !== ids.length) throw notFound('user', 'User was not found');
  }
  const result = await generateInvoicesFor(ctx, input, realms);
  await logAction(ctx, {
    action: 'invoices_generated',
    data: `${input.periodStart}..${input.periodEnd}`,
    data2: String(result.created),
  });
  return result;
}
