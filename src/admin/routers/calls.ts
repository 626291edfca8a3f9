import { AnswerCall, answerCall, EndCall, endCall, StartCall, startCall } from '../../domain/calls/activeCalls.ts';
import { Authorize, authorize } from '../../domain/calls/authorize.ts';
import { ImportCsv, importCsv } from '../../domain/calls/importCsv.ts';
import { IngestCalls, ingestCalls } from '../../domain/calls/ingestCalls.ts';
import { strict } from '../input.ts';
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
  ingest: authed.input(strict(IngestCalls)).mutation(({ ctx, input }) => ingestCalls(ctx.ctx, input)),
  /**
   * A backfill from Asterisk's cdr_csv Master.csv (standard column order; local times in `timeZone`,
   * default the system zone), through the same path as `ingest`. Same answer; `index` counts records.
   */
  importCsv: authed.input(strict(ImportCsv)).mutation(({ ctx, input }) => importCsv(ctx.ctx, input)),
  /**
   * What a switch asks before it connects: `{ allowed, reason?, maxSeconds, rate, connectionFee,
   * currency }` from the user's (and its reseller's) balance, credit and tariff.
   */
  authorize: authed.input(strict(Authorize)).query(({ ctx, input }) => authorize(ctx.ctx, input)),
});

/** The live calls behind active_calls_get, kept by the switch; `end` writes the CDR like calls.ingest. */
export const activeCallsRouter = router({
  /** A call starts ringing: authorized, then kept live with its `maxSeconds` (refused calls are not kept). */
  start: authed.input(strict(StartCall)).mutation(({ ctx, input }) => startCall(ctx.ctx, input)),
  /** The call was answered. */
  answer: authed.input(strict(AnswerCall)).mutation(({ ctx, input }) => answerCall(ctx.ctx, input)),
  /** The call ended: its CDR is rated and charged exactly once, the live row removed. */
  end: authed.input(strict(EndCall)).mutation(({ ctx, input }) => endCall(ctx.ctx, input)),
});
