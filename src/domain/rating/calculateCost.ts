import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { requireTariffRight, resellersMayUseAdminTariffs } from './access.ts';
import { bandIsNow, localClock } from './localClock.ts';
import { type LookupRow, lookupQuery } from './lookupQuery.ts';
import { digitsOf, MAX_DIGITS } from './values.ts';

export const CalculateCost = v.object({
  userId: UserId,
  /** Dialled number; non-digits are ignored. */
  number: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  /** Answered seconds (0 = unanswered: nothing is charged). */
  duration: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400)),
  /** When the call starts (ISO 8601); default now. Picks effective rates and the time band. */
  at: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});
export type CalculateCost = v.InferInput<typeof CalculateCost>;

export interface CallCost {
  tariffId: number;
  /** wholesale: by prefix; retail: the tariff's group rate; custom: the user's custom rate. */
  source: 'wholesale' | 'retail' | 'custom';
  destination: { name: string; prefix: string };
  /** Currency of `rate`, `connectionFee` and `price` (tariff's; custom rates: the user's). */
  currency: string;
  /** Price per minute of the first minute band. */
  rate: string;
  connectionFee: string;
  increment: number;
  minTime: number;
  billedSeconds: number;
  /** Exact to 6 decimals. */
  price: string;
  systemCurrency: string;
  /** `price` converted with the stored exchange rate (price / rate(currency)); null if the currency is unknown. */
  priceInSystemCurrency: string | null;
}

/**
 * "What would this call cost": the rate the user would be charged (same lookup as rate_get; the admin
 * API sees every user the actor manages), then the price in SQL numeric arithmetic. Wholesale:
 * billed = max(min_time, ceil(d / increment) × increment), price = fee + rate × billed / 60. Retail and
 * custom (Advanced Rates): each minute interval bills its seconds rounded up by its step, each event
 * interval its price once the call reaches it.
 */
export async function calculateCost(ctx: Ctx, input: CalculateCost): Promise<CallCost> {
  requireTariffRight(ctx.actor, 1);
  const digits = digitsOf(input.number);
  if (digits === '' || digits.length > MAX_DIGITS) throw notFound('rate');
  const adminTariffsAllowed = ctx.actor.usertype === 'reseller' && (await resellersMayUseAdminTariffs(ctx));
  const at = input.at ? new Date(input.at) : ctx.clock();
  const rows = await queryRows<LookupRow>(
    ctx.db,
    lookupQuery(
      { role: ctx.actor.usertype, actorId: ctx.actor.id, adminTariffsAllowed, adminSeesAll: true },
      { userId: input.userId, digits, full: true, at },
    ),
  );
  if (rows[0]?.state !== 'ok') throw notFound('user');
  const clock = localClock(at, rows[0].time_zone ?? '');
  const now = rows.filter(
    (r) =>
      r.price !== null && bandIsNow({ daytype: r.daytype!, startTime: r.start_time!, endTime: r.end_time! }, clock),
  );
  const specific = now.some((r) => r.daytype !== '');
  const bands = now.filter((r) => (r.daytype !== '') === specific);
  const first = bands.find((b) => b.artype === 'minute') ?? bands[0];
  if (!first) throw notFound('rate');
  const wholesale = first.source === 'wholesale';
  const json = JSON.stringify(wholesale ? [first] : bands);
  const [cost] = await queryRows<{ billed: number; price: string; system: string | null; system_currency: string }>(
    ctx.db,
    sql`with b as (select * from json_to_recordset(${json}::json) as b(price numeric, "from" int, duration int,
        artype text, round int, connection_fee numeric, increment int, min_time int)),
      d as (select ${input.duration}::int as d),
      s as (select b.*, case when b.artype <> 'minute' or d.d = 0 then 0
          when ${wholesale}::bool then greatest(b.min_time, ceil(d.d::numeric / b.increment)::int * b.increment)
          else ceil(greatest(0, least(d.d, case when b.duration = -1 then d.d else b."from" + b.duration - 1 end)
            - (b."from" - 1))::numeric / b.round)::int * b.round end as billed,
          d.d from b, d),
      total as (select coalesce(sum(billed), 0)::int as billed, round(coalesce(sum(case
          when d = 0 then 0
          when artype = 'event' then case when d >= "from" then price else 0 end
          else coalesce(connection_fee, 0) + price * billed / 60 end), 0), 6) as price from s)
    select total.billed, total.price::text as price,
      round(total.price / (select exchange_rate from currencies where name = ${first.currency}::text), 6)::text as system,
      coalesce((select name from currencies where is_default limit 1), '') as system_currency
    from total`,
  );
  return {
    tariffId: rows[0]!.tariff_id!,
    source: first.source!,
    destination: { name: first.name ?? '', prefix: first.prefix ?? '' },
    currency: first.currency ?? '',
    rate: first.price!,
    connectionFee: first.connection_fee ?? '0',
    increment: first.increment ?? first.round ?? 1,
    minTime: first.min_time ?? 0,
    billedSeconds: cost!.billed,
    price: cost!.price,
    systemCurrency: cost!.system_currency,
    priceInSystemCurrency: cost!.system,
  };
}
