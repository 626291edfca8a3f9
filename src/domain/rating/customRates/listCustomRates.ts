import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import type { Ctx } from '../../ctx.ts';
import { UserId } from '../../ids.ts';
import { customRateUser } from './customRateUser.ts';

export const ListCustomRates = v.object({ userId: UserId });
export type ListCustomRates = v.InferInput<typeof ListCustomRates>;

export interface CustomRateView {
  id: number;
  destinationGroupId: number;
  destinationGroup: string;
  bands: {
    from: number;
    duration: number;
    type: 'minute' | 'event';
    round: number;
    /** In the user's currency, as stored. */
    price: string;
    daytype: string;
    startTime: string;
    endTime: string;
  }[];
}

/** A user's custom rates (prices in the user's currency) by group name. */
export async function listCustomRates(
  ctx: Ctx,
  input: ListCustomRates,
): Promise<{ currency: string; rates: CustomRateView[] }> {
  await customRateUser(ctx, input.userId, 1);
  const rows = await queryRows<CustomRateView & { currency: string }>(
    ctx.db,
    sql`select c.id, g.id as "destinationGroupId", g.name as "destinationGroup",
      coalesce((select json_agg(json_build_object('from', b."from", 'duration', b.duration, 'type', b.artype,
        'round', b.round, 'price', b.price::text, 'daytype', b.daytype, 'startTime', b.start_time::text,
        'endTime', b.end_time::text) order by b.daytype, b.start_time, b."from")
        from acustratedetails b where b.customrate_id = c.id), '[]'::json) as bands
      from customrates c join destinationgroups g on g.id = c.destinationgroup_id
      where c.user_id = ${input.userId}::int order by g.name, g.id`,
  );
  const [cur] = await queryRows<{ name: string }>(
    ctx.db,
    sql`select coalesce((select cu.name from users u join currencies cu on cu.id = u.currency_id
      where u.id = ${input.userId}::int), '') as name`,
  );
  return { currency: cur?.name ?? '', rates: rows };
}
