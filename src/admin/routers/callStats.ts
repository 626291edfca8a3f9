import * as v from 'valibot';
import { AGGREGATE_GROUPS, aggregateCalls } from '../../domain/calls/aggregates.ts';
import { quickstats } from '../../domain/calls/quickstats.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const Id = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_147_483_647));
const Instant = v.pipe(v.string(), v.isoTimestamp());
const Pattern = v.pipe(v.string(), v.minLength(1), v.maxLength(255));

/** aggregate_get's parameters, typed: ISO bounds, the groupings as a list, the filters by id. */
export const AggregateInput = v.strictObject({
  from: v.optional(Instant),
  till: v.optional(Instant),
  groups: v.optional(v.array(v.picklist(AGGREGATE_GROUPS)), []),
  userId: v.optional(Id),
  terminatorId: v.optional(Id),
  deviceId: v.optional(Id),
  providerId: v.optional(Id),
  src: v.optional(Pattern),
  dst: v.optional(Pattern),
  minDuration: v.optional(Id),
  dstGroup: v.optional(Pattern),
  realBillsec: v.optional(v.boolean()),
  minAnswered: v.optional(Id),
  currency: v.optional(v.pipe(v.string(), v.maxLength(16))),
});

/** Call statistics: the same figures, reach and refusals as quickstats_get and aggregate_get. */
export const callStatsRouter = router({
  /** Today and this month in the caller's time zone (admin and resellers; accountants: FORBIDDEN). */
  quickstats: authed.query(({ ctx }) => quickstats(ctx.ctx)),
  /** Calls of a period grouped and summed; `source` says whether the rollups or the calls answered. */
  aggregates: authed.input(strict(AggregateInput)).query(({ ctx, input }) => aggregateCalls(ctx.ctx, input)),
});
