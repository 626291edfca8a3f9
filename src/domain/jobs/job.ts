import type { Db } from '../../db/types.ts';
import type { Log } from '../ctx.ts';
import type { Ports } from '../ports.ts';

/** What a job runs with: the database, the clock and the log (no actor: the system acts). */
export interface JobCtx {
  db: Db;
  clock: () => Date;
  log: Log;
  ports?: Ports;
}

/**
 * A scheduled job: plain domain work, idempotent per period (its effects are unique rows, so running a
 * period twice, or on two instances, changes nothing the second time).
 */
export interface Job {
  name: string;
  /**
   * Runs at every tick, on every instance, without a `job_runs` claim: the job claims its own rows
   * (leases), so concurrent runs share the work instead of repeating it (webhook deliveries, messages).
   */
  everyTick?: boolean;
  /** The period `now` falls in, as text (e.g. `2026-12` monthly, `2026-12-06` daily). */
  periodOf(now: Date): string;
  /** Does the period's work; answers a JSON summary (counts) kept with the run. */
  run(ctx: JobCtx, period: string): Promise<Record<string, unknown>>;
}

/** The UTC day of `now` as YYYY-MM-DD. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** The UTC month of `now` as YYYY-MM. */
export const utcMonth = (now: Date) => now.toISOString().slice(0, 7);
