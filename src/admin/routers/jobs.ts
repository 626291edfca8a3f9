import * as v from 'valibot';
import { JOBS, runJobNow } from '../../domain/jobs/jobs.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Scheduled work on demand (admin): the same functions the scheduler runs. */
export const jobsRouter = router({
  /** The jobs there are. */
  list: authed.query(() => JOBS.map((job) => ({ name: job.name }))),
  /** Runs `job` now for the current period, or for `period` (e.g. `2026-12`, `2026-12-06`). */
  run: authed
    .input(
      strict(
        v.strictObject({
          job: v.pipe(v.string(), v.maxLength(60)),
          period: v.optional(v.pipe(v.string(), v.maxLength(40))),
        }),
      ),
    )
    .mutation(({ ctx, input }) => runJobNow(ctx.ctx, input)),
});
