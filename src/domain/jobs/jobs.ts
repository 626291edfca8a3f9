import type { Ctx } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { balanceWarningsJob } from '../messages/balanceWarnings.ts';
import { sendMessagesJob } from '../messages/sendMessages.ts';
import { deliverWebhooksJob } from '../webhooks/deliverWebhooks.ts';
import { chargeSubscriptionsJob } from './chargeSubscriptions.ts';
import { createCallPartitions } from './createCallPartitions.ts';
import { generateInvoicesJob } from './generateInvoices.ts';
import type { Job, JobCtx } from './job.ts';
import { pruneIdempotencyKeys } from './pruneIdempotencyKeys.ts';
import { type JobOutcome, runJob } from './runJob.ts';

/** Every scheduled job, in the order a tick runs them. */
export const JOBS: readonly Job[] = [
  pruneIdempotencyKeys,
  createCallPartitions,
  chargeSubscriptionsJob,
  generateInvoicesJob,
  deliverWebhooksJob,
  balanceWarningsJob,
  sendMessagesJob,
];

/** One scheduler tick: each job for its current period, unless done or running elsewhere. */
export async function runDueJobs(ctx: JobCtx): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of JOBS) {
    try {
      if (job.everyTick) {
        const period = job.periodOf(ctx.clock());
        outcomes.push({ job: job.name, period, ran: true, result: await job.run(ctx, period) });
      } else outcomes.push(await runJob(ctx, job));
    } catch (error) {
      // One failing job never stops the others; its claim stays unfinished and is retried later.
      ctx.log.error('job failed', { job: job.name, error: String((error as Error)?.message ?? error) });
    }
  }
  return outcomes;
}

/**
 * tRPC `jobs.run`: the admin runs a job now, for the current or a given period. A finished period
 * runs again (its effects are unique rows, so nothing is done twice); a run in progress elsewhere is
 * reported, not joined.
 */
export async function runJobNow(ctx: Ctx, input: { job: string; period?: string }): Promise<JobOutcome> {
  if (ctx.actor.usertype !== 'admin') throw forbidden('jobs');
  const job = JOBS.find((j) => j.name === input.job);
  if (!job) throw notFound('job', `Unknown job ${input.job}`);
  return runJob(ctx, job, { period: input.period, force: true });
}

/**
 * The in-process scheduler of Node and Deno: a tick now and then every `everyMs`, never two ticks at
 * once. Workers call runDueJobs from their `scheduled` handler (Cron Trigger) instead. Answers stop().
 */
export function startScheduler(ctx: JobCtx, everyMs = 60_000): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = runDueJobs(ctx).finally(() => {
      if (!stopped) timer = setTimeout(tick, everyMs);
    });
  };
  timer = setTimeout(tick, 1_000);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current.catch(() => {});
  };
}
