import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import type { Ctx } from '../../ctx.ts';
import { RowId } from '../../ids.ts';
import { getTariff } from '../tariffs/getTariff.ts';

export const ListRates = v.object({
  tariffId: RowId,
  /** Wholesale: rates whose prefix starts with these digits. */
  prefix: v.optional(v.pipe(v.string(), v.regex(/^\d{0,20}$/))),
  /** Destination (wholesale) or destination group (retail) name, case-insensitive part. */
  search: v.optional(v.pipe(v.string(), v.maxLength(100))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
});
export type ListRates = v.InferInput<typeof ListRates>;

/** One time band of a rate. Wholesale rows carry prefix/fees; retail rows the group and interval. */
export interface RateItem {
  rateId: number;
  prefix: string | null;
  destination: string | null;
  destinationGroupId: number | null;
  destinationGroup: string | null;
  /** Price per minute (per event for retail `event` intervals), tariff currency, as stored. */
  price: string;
  connectionFee: string | null;
  increment: number | null;
  minTime: number | null;
  from: number | null;
  duration: number | null;
  type: 'minute' | 'event';
  round: number | null;
  daytype: string;
  startTime: string;
  endTime: string;
  /** ISO 8601 or null (always effective). */
  effectiveFrom: string | null;
}

/** A page of a tariff's rates (one item per band) with the total; ordered by prefix or group name. */
export async function listRates(ctx: Ctx, input: ListRates): Promise<{ total: number; items: RateItem[] }> {
  const tariff = await getTariff(ctx, input.tariffId);
  const limit = input.limit ?? 100;
  const offset = input.offset ?? 0;
  const like = input.search ? `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await queryRows<RateItem & { total: number }>(
    ctx.db,
    tariff.purpose === 'user'
      ? sql`select r.id as "rateId", null as prefix, null as destination, g.id as "destinationGroupId",
          g.name as "destinationGroup", b.price::text as price, null as "connectionFee", null as increment,
          null as "minTime", b."from", b.duration, b.artype as type, b.round, b.daytype,
          b.start_time::text as "startTime", b.end_time::text as "endTime", null as "effectiveFrom",
          count(*) over ()::int as total
        from rates r join destinationgroups g on g.id = r.destinationgroup_id join aratedetails b on b.rate_id = r.id
        where r.tariff_id = ${tariff.id}::int and (${like}::text is null or g.name ilike ${like}::text)
        order by g.name, r.id, b.daytype, b.start_time, b."from" limit ${limit}::int offset ${offset}::int`
      : sql`select r.id as "rateId", r.prefix, d.name as destination, null as "destinationGroupId",
          null as "destinationGroup", b.rate::text as price, b.connection_fee::text as "connectionFee",
          b.increment_s as increment, b.min_time as "minTime", null as "from", null as duration, 'minute' as type,
          null as round, b.daytype, b.start_time::text as "startTime", b.end_time::text as "endTime",
          to_char(r.effective_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "effectiveFrom",
          count(*) over ()::int as total
        from rates r join ratedetails b on b.rate_id = r.id left join destinations d on d.id = r.destination_id
        where r.tariff_id = ${tariff.id}::int and r.prefix like ${input.prefix ?? ''}::text || '%'
          and (${like}::text is null or d.name ilike ${like}::text)
        order by r.prefix, r.effective_from nulls first, b.daytype, b.start_time
        limit ${limit}::int offset ${offset}::int`,
  );
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _t, ...item }) => item) };
}
