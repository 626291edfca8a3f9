import { IngestCalls, ingestCalls } from '../../domain/calls/ingestCalls.ts';
import { authed, router } from '../trpc.ts';

/**
 * Calls in from the switch (admin token; plain JSON over HTTP, so any switch script can post):
 * finished calls rated and charged exactly once per uniqueid.
 */
export const callsRouter = router({
  /**
   * Up to 10,000 finished calls. Answers `{ inserted, duplicates, rejected: [{ index, reason }] }`; a
   * bad call never blocks the others, a uniqueid stored before is never charged again.
   */
  ingest: authed.input(IngestCalls).mutation(({ ctx, input }) => ingestCalls(ctx.ctx, input)),
});
