import { sql } from 'drizzle-orm';
import type { LineQuery, LineSource } from './source.ts';

/**
 * Postpaid users pay their subscriptions through the invoice: one line per subscription, for the
 * overlap of its activation (local dates of activation_start … activation_end, both included; no end
 * = until canceled) with the period.
 * - periodic fee by month, flat rate, dynamic flat rate: the monthly price × Σ over the months of the
 *   overlap of (days billed in the month / days of the month); quantity 1, price = that charge;
 * - periodic fee by day: quantity = days billed, price = the daily price;
 * - one-time fee: once, in the period its activation starts in.
 * The subscription's discount percent is taken off; amounts are rounded to 6 decimals.
 */
export const subscriptionLines: LineSource = {
  name: 'subscriptions',
  lines: ({ periodStart, periodEnd, zone }: LineQuery) => sql`
    select o.user_id, 1 as sort_group, o.subscription_id::bigint as sort_id, 'service'::text as kind,
      o.name, o.quantity, o.unit as price, round(o.gross * o.discount_percent / 100, 6) as discount,
      o.gross - round(o.gross * o.discount_percent / 100, 6) as sum,
      null::text as prefix, null::int as total_time, o.service_id, o.subscription_id
    from (
      select s.user_id, s.id as subscription_id, sv.id as service_id, sv.name, s.discount_percent,
        case when sv.type = 'periodic_fee' and sv.period = 'day' then (b.last - b.first + 1)::numeric else 1::numeric end as quantity,
        case when sv.type = 'periodic_fee' and sv.period = 'day' then sv.price
          when sv.type = 'one_time_fee' then sv.price else m.gross end as unit,
        case when sv.type = 'periodic_fee' and sv.period = 'day' then sv.price * (b.last - b.first + 1)
          when sv.type = 'one_time_fee' then sv.price else m.gross end as gross,
        sv.type, b.first, b.starts
      from t
      join subscriptions s on s.user_id = t.user_id
      join services sv on sv.id = s.service_id
      cross join lateral (
        select greatest((s.activation_start at time zone ${zone}::text)::date, ${periodStart}::date) as first,
          least(coalesce((s.activation_end at time zone ${zone}::text)::date, ${periodEnd}::date), ${periodEnd}::date) as last,
          (s.activation_start at time zone ${zone}::text)::date as starts
      ) b
      cross join lateral (
        select round(sv.price * sum(
          ((least(b.last, (mm + interval '1 month' - interval '1 day')::date) - greatest(b.first, mm::date) + 1)::numeric)
          / ((mm + interval '1 month')::date - mm::date)), 6) as gross
        from generate_series(date_trunc('month', b.first::timestamp), b.last::timestamp, interval '1 month') mm
      ) m
      where t.postpaid and b.first <= b.last
    ) o
    where o.type <> 'one_time_fee' or o.starts between ${periodStart}::date and ${periodEnd}::date`,
};
