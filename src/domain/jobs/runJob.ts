import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { invalid } from '../errors.ts';
import type { Job, JobCtx } from './job.ts';

/** A run that started this long ago and never finished is taken for dead (its instance stopped). */
export const STALE_MINUTES = 15;

export type JobOutcome =
  | { job: string; period: string; ran: true; result: Record<string, unknown> }
  | { job: string; period: string; ran: false; reason: 'done' | 'running' };

/**
 * Runs `job` for `period` (default: the current one) unless another instance is running it now, or —
 * unless `force` — it already finished. The claim is a row of `job_runs` committed before the work,
 * so instances never work on one period at once; the work itself is idempotent, so a forced re-run or
 * a run after a crash never repeats an effect. A failure leaves the claim unfinished: the next tick
 * after STALE_MINUTES (or a forced run once it is stale) tries again.
 */
export async function runJob(
  ctx: JobCtx,
  job: Job,
  options: { period?: string; force?: boolean } = {},
): Promise<JobOutcome> {
  const period = options.period ?? job.periodOf(ctx.clock());
  if (period.length > 40) throw invalid('period', 'Invalid period');
  const now = ctx.clock().toISOString();
  const [claimed] = await queryRows<{ job: string }>(
    ctx.db,
    sql`insert into job_runs as r (job, period, started_at) values (${job.name}::text, ${period}::text, ${now}::timestamptz)
      on conflict (job, period) do update set started_at = excluded.started_at, finished_at = null, result = null
      where (r.finished_at is not null and ${options.force === true}::boolean)
        or (r.finished_at is null and r.started_at < excluded.started_at - make_interval(mins => ${STALE_MINUTES}::int))
      returning r.job`,
  );
  if (!claimed) {
    const [row] = await queryRows<{ finished: boolean }>(
      ctx.db,
      sql`select finished_at is not null as finished from job_runs where job = ${job.name}::text and period = ${period}::text`,
    );
    return { job: job.name, period, ran: false, reason: row?.finished ? 'done' : 'running' };
  }
  const result = await job.run(ctx, period);
  await queryRows(
    ctx.db,
    sql`update job_runs set finished_at = ${ctx.clock().toISOString()}::timestamptz, result = ${JSON.stringify(result)}::jsonb
      where job = ${job.name}::text and period = ${period}::text`,
  );
  ctx.log.info('job ran', { job: job.name, period, ...result });
  return { job: job.name, period, ran: true, result };
}
