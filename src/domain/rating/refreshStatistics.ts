import { sql } from 'drizzle-orm';
import type { Ctx } from '../ctx.ts';

/** Rates written in one call from which the planner statistics are refreshed at once. */
export const BULK_RATES = 10_000;

/**
 * After a bulk rate write (an operator loading a tariff), ANALYZE the tables rate_get's SQL lookup reads.
 * Without it the planner knows nothing about a freshly loaded million rows until autovacuum gets to
 * them (never, where it is off): measured on 1M rates loaded through rates.upsertMany, rate_get's SQL
 * path served about half the requests of the same tariff once analyzed (docs/decisions.md). ANALYZE
 * samples (~30,000 rows a table), so it costs well under a second next to the load itself. A failure is
 * logged, never the import's.
 */
export async function refreshRateStatistics(ctx: Pick<Ctx, 'db' | 'log'>, written: number): Promise<void> {
  if (written < BULK_RATES) return;
  try {
    await ctx.db.execute(sql`analyze rates, ratedetails, destinations`);
  } catch (error) {
    ctx.log.warn('analyze after a bulk rate load failed', { error: String(error) });
  }
}
