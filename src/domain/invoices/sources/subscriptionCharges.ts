import { sql } from 'drizzle-orm';
import type { LineQuery, LineSource } from './source.ts';

/**
 * Prepaid users paid their subscriptions from the balance already (the charging job writes one
 * `subscription_charges` row per charged period): their invoice lists those charges — every charge
 * whose period starts in the invoice period, less what was refunded — so nothing is billed twice.
 */
export const subscriptionChargeLines: LineSource = {
  name: 'subscriptionCharges',
  lines: ({ periodStart, periodEnd }: LineQuery) => sql`
    select c.user_id, 1 as sort_group, c.subscription_id::bigint as sort_id, 'service'::text as kind,
      coalesce(sv.name, 'Subscription') as name, 1::numeric as quantity, c.amount - c.refunded as price,
      0::numeric as discount, c.amount - c.refunded as sum,
      null::text as prefix, null::int as total_time, sv.id as service_id, c.subscription_id
    from t
    join subscription_charges c on c.user_id = t.user_id
    left join subscriptions s on s.id = c.subscription_id
    left join services sv on sv.id = s.service_id
    where not t.postpaid and c.period_start between ${periodStart}::date and ${periodEnd}::date
      and c.amount - c.refunded <> 0`,
};
