import type { SQL } from 'drizzle-orm';

/** What a line source is asked for: the period (calendar dates, both included) and the system zone. */
export interface LineQuery {
  periodStart: string;
  periodEnd: string;
  /** IANA zone the period's dates are read in (timestamps become local dates in it). */
  zone: string;
}

/**
 * A kind of invoice line (subscriptions, prepaid charges, later calls). `lines` is a SELECT over the
 * generator's relation `t` (the users being invoiced: `user_id`, `postpaid`) returning, per line:
 * `user_id`, `sort_group` (int: lines sort by it, then `sort_id`), `sort_id` (bigint), `kind`
 * ('calls' | 'service' | 'other'), `name`, `quantity` (numeric or null), `price` (unit price),
 * `discount` and `sum` (= price × quantity − discount; the `Calls` line, as MOR prints it, has the
 * number of calls as quantity and their total as price and sum) — numeric in the system currency — and
 * `prefix`, `total_time` (seconds), `service_id`, `subscription_id` (null where they do not apply).
 * Amounts keep at most 6 decimals (the money scale); the generator converts and rounds them.
 */
export interface LineSource {
  name: string;
  lines(query: LineQuery): SQL;
}
