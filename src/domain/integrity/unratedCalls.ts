import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';

export const UnratedCalls = v.object({
  /** Days back from now the report looks at (default 31; it touches only those months' partitions). */
  days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3660)), 31),
});
export type UnratedCalls = v.InferInput<typeof UnratedCalls>;

/** Answered calls stored at no cost because a tariff or a rate was missing, per user and status. */
export interface UnratedCallsEntry {
  userId: number;
  username: string;
  ownerId: number;
  /** `no_tariff`: the user (or its reseller) has no usable tariff; `no_rate`: no rate for the number. */
  status: 'no_rate' | 'no_tariff';
  calls: number;
  firstCalldate: string;
  lastCalldate: string;
  /** Up to 10 of the numbers dialled. */
  numbers: string[];
}

/**
 * Integrity Check, calls: answered calls that cost nothing because the user's (or its reseller's)
 * tariff had no rate for the number, or there was no tariff. Fix the tariff; the calls stay at 0.
 * Admin only; advisory.
 */
export async function unratedCalls(ctx: Ctx, input: UnratedCalls = {}): Promise<UnratedCallsEntry[]> {
  if (ctx.actor.usertype !== 'admin') throw forbidden('integrity');
  const days = input.days ?? 31;
  const since = new Date(ctx.clock().getTime() - days * 86_400_000).toISOString();
  return queryRows<UnratedCallsEntry>(
    ctx.db,
    sql`select c.user_id as "userId", coalesce(u.username, '') as username, coalesce(u.owner_id, 0) as "ownerId",
        c.rating_status as status, count(*)::int as calls, to_char(min(c.calldate) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "firstCalldate",
        to_char(max(c.calldate) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastCalldate", (array_agg(distinct c.dst))[1:10] as numbers
      from calls c left join users u on u.id = c.user_id
      where c.calldate >= ${since}::timestamptz and c.rating_status in ('no_rate', 'no_tariff')
      group by c.user_id, u.username, u.owner_id, c.rating_status
      order by c.user_id, c.rating_status`,
  );
}
