import { sql } from 'drizzle-orm';
import type { LineQuery, LineSource } from './source.ts';

/**
 * The user's calls of the period: one `Calls` line per user (first on the invoice) with the number of
 * charged calls, their user price and billed seconds. The period's local dates become a `calldate`
 * range in the system zone, so only the month partitions of the period are read. Unanswered and
 * unrated calls cost 0 and are left out. Prepaid users paid them from the balance already: their
 * invoice documents the calls like their subscription charges.
 */
export const callLines: LineSource = {
  name: 'calls',
  lines: ({ periodStart, periodEnd, zone }: LineQuery) => sql`
    select c.user_id, 0 as sort_group, 0::bigint as sort_id, 'calls'::text as kind, 'Calls'::text as name,
      count(*)::numeric as quantity, sum(c.user_price) as price, 0::numeric as discount, sum(c.user_price) as sum,
      null::text as prefix, sum(c.user_billsec)::int as total_time, null::int as service_id,
      null::int as subscription_id
    from t
    join calls c on c.user_id = t.user_id
    where c.calldate >= (${periodStart}::date::timestamp at time zone ${zone}::text)
      and c.calldate < ((${periodEnd}::date + 1)::timestamp at time zone ${zone}::text)
      and c.user_price <> 0
    group by c.user_id`,
};
