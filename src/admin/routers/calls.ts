import { ImportCsv, importCsv } from '../../domain/calls/importCsv.ts';
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
  /**
   * A backfill from Asterisk's cdr_csv Master.csv (standard column order; local times in `timeZone`,
   * default the system zone), through the same path as `ingest`. Same answer; `index` counts records.
   */
  importCsv: authed.input(ImportCsv).mutation(({ ctx, input }) => importCsv(ctx.ctx, input)),
});
