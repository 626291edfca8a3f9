import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';

/** Rates written in one call from which the planner statistics are refreshed at once. */
export const BULK_RATES = 10_000;

/**
 * After a bulk rate write (an operator loading a tariff), ANALYZE the tables rate_get's SQL lookup reads.
 * Without it the planner knows nothing about a freshly loaded million rows until autovacuum gets to
 * them (never, where it is off): measured on 1M rates loaded through rates.upsertMany, rate_get's SQL
 * path served about half the requests of the same tariff once analyzed (docs/decisions.md). Skipped when
 * the write is under a tenth of the rows the last statistics counted (autovacuum's threshold). ANALYZE
 * samples (~30,000 rows a table), so it costs well under a second next to the load itself. A failure is
 * logged, never the import's.
 */
export async function refreshRateStatistics(ctx: Pick<Ctx, 'db' | 'log'>, written: number): Promise<void> {
  if (written < BULK_RATES) return;
  try {
    // Autovacuum's own rule, applied at once: re-analyze when the write is at least a tenth of what the
    // statistics describe (or there are none), so a tariff loaded in many chunks does not analyze each time.
    const [row] = await queryRows<{ tuples: number }>(
      ctx.db,
      sql`select reltuples::float8 as tuples from pg_class where oid = 'rates'::regclass`,
    );
    if (row && row.tuples > 0 && written * 10 < row.tuples) return;
    await ctx.db.execute(sql`analyze rates, ratedetails, destinations`);
  } catch (error) {
    ctx.log.warn('analyze after a bulk rate load failed', { error: String(error) });
  }
}
