import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { invalid, notFound } from '../../errors.ts';
import { RowId, UserId } from '../../ids.ts';
import { getDestinationGroup } from '../destinationGroups/listDestinationGroups.ts';
import { Daytype, Decimal, TimeOfDay } from '../values.ts';
import { customRateUser } from './customRateUser.ts';

export const CustomRateBand = v.object({
  price: Decimal,
  from: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
  /** Seconds; -1 = until the end of the call. */
  duration: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(-1),
      v.check((n) => n !== 0, 'must not be 0'),
    ),
    -1,
  ),
  type: v.optional(v.picklist(['minute', 'event']), 'minute'),
  round: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
  daytype: v.optional(Daytype, ''),
  startTime: v.optional(TimeOfDay, '00:00:00'),
  endTime: v.optional(TimeOfDay, '23:59:59'),
});
export const SetCustomRate = v.object({
  userId: UserId,
  destinationGroupId: RowId,
  bands: v.pipe(v.array(CustomRateBand), v.minLength(1), v.maxLength(100)),
});
export type SetCustomRate = v.InferInput<typeof SetCustomRate>;

/**
 * Sets (replaces) a user's custom rate for a destination group. Only for users on a retail tariff
 * (Custom Rates page); prices are in the user's currency.
 */
export async function setCustomRate(ctx: Ctx, raw: SetCustomRate): Promise<{ id: number }> {
  const input = v.parse(SetCustomRate, raw);
  const user = await customRateUser(ctx, input.userId, 2);
  if (user.purpose !== 'user') throw invalid('not_retail', 'Custom rates need a user on a retail tariff');
  await getDestinationGroup(ctx, input.destinationGroupId);
  if (input.bands.some((b) => b.startTime > b.endTime)) throw invalid('time', 'startTime must not be after endTime');
  return withTransaction(ctx, async (tx) => {
    // Held until commit, so a group delete (which locks the group before its in-use check) waits and
    // sees this rate, or this finds the group gone and answers as a sequential request would.
    const [group] = await queryRows(
      tx.db,
      sql`select id from destinationgroups where id = ${input.destinationGroupId}::int for key share`,
    );
    if (!group) throw notFound('destination_group');
    const [rate] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into customrates (user_id, destinationgroup_id) values (${input.userId}::int, ${input.destinationGroupId}::int)
        on conflict (user_id, destinationgroup_id) do update set user_id = excluded.user_id returning id`,
    );
    await tx.db.execute(sql`delete from acustratedetails where customrate_id = ${rate!.id}::int`);
    await tx.db.execute(sql`insert into acustratedetails
        (customrate_id, "from", duration, artype, round, price, daytype, start_time, end_time)
      select ${rate!.id}::int, b."from", b.duration, b.type, b.round, b.price, b.daytype, b."startTime", b."endTime"
      from json_to_recordset(${JSON.stringify(input.bands)}::json) as b("from" int, duration int, type text, round int,
        price numeric, daytype text, "startTime" time, "endTime" time)`);
    await logAction(tx, {
      action: 'custom_rate_set',
      targetType: 'user',
      targetId: input.userId,
      data2: `group=${input.destinationGroupId} bands=${input.bands.length}`,
    });
    return { id: rate!.id };
  });
}

/** Removes a user's custom rate for a group (the tariff's rate applies again). */
export async function deleteCustomRate(
  ctx: Ctx,
  input: { userId: number; destinationGroupId: number },
): Promise<{ deleted: boolean }> {
  await customRateUser(ctx, input.userId, 2);
  return withTransaction(ctx, async (tx) => {
    const gone = await queryRows<{ id: number }>(
      tx.db,
      sql`delete from customrates where user_id = ${input.userId}::int
        and destinationgroup_id = ${input.destinationGroupId}::int returning id`,
    );
    if (gone.length > 0) {
      await logAction(tx, {
        action: 'custom_rate_deleted',
        targetType: 'user',
        targetId: input.userId,
        data: String(input.destinationGroupId),
      });
    }
    return { deleted: gone.length > 0 };
  });
}
