import { type SQL, sql } from 'drizzle-orm';
import type { Usertype } from '../../db/schema/users.ts';

/** Who looks a rate up, and how far they see (see `lookupQuery`). */
export interface LookupScope {
  role: Usertype;
  actorId: number;
  /** "Allow Resellers to use Admin Tariffs". */
  adminTariffsAllowed: boolean;
  /** rate_get: the admin sees only its own users (owner 0); admin API: the admin sees everyone. */
  adminSeesAll: boolean;
}

export interface LookupTarget {
  /** The target user, by username (rate_get) or id (admin API). */
  username?: string;
  userId?: number;
  /** Digits only, 1–20 of them. */
  digits: string;
  /** true: longest prefix of `digits` (by_full_dst=1); false: `digits` is the exact prefix. */
  full: boolean;
  /** The moment rates must be effective at and bands are matched against. */
  at: Date;
}

/** One time band of the chosen rate, plus the lookup's state (one row with nulls when no band). */
export interface LookupRow {
  state: 'no_user' | 'hidden' | 'ok';
  tariff_id: number | null;
  source: 'wholesale' | 'custom' | 'retail' | null;
  currency: string | null;
  price: string | null;
  name: string | null;
  prefix: string | null;
  daytype: '' | 'WD' | 'FD' | null;
  start_time: string | null;
  end_time: string | null;
  from: number | null;
  duration: number | null;
  artype: 'minute' | 'event' | null;
  round: number | null;
  connection_fee: string | null;
  increment: number | null;
  min_time: number | null;
  /** The band's day type and time window contain `at` in the target user's time zone. */
  is_now: boolean | null;
}

/**
 * The ONE statement a rate lookup costs (rate_get's whole database work; bench/rating.ts runs this very
 * text with pgbench). Target user and its visibility, its tariff (resellers: admin tariffs only when
 * allowed or assigned to the reseller itself), then _rating-model §6: wholesale → the effective rate
 * with the longest prefix (newest effective date wins, NULL loses to any effective date); retail → the
 * longest destination, its group, the user's custom rate for the group, else the tariff's. Candidate
 * prefixes are compared with `prefix = any(array)`, so both searches are btree index probes.
 */
export function lookupQuery(scope: LookupScope, target: LookupTarget): SQL {
  const role = scope.role;
  const actor = scope.actorId;
  const who =
    target.userId !== undefined
      ? sql`users.id = ${target.userId}::int`
      : sql`users.username = ${target.username}::text`;
  const candidates = sql`array(select left(${target.digits}::text, n) from generate_series(
    case when ${target.full}::bool then 1 else length(${target.digits}::text) end, length(${target.digits}::text)) n)`;
  const at = target.at.toISOString();
  const isNow = sql`(b.daytype = '' or b.daytype = case when extract(isodow from tf.local) in (6, 7) then 'FD' else 'WD' end)
    and date_trunc('second', tf.local)::time between b.start_time and b.end_time`;
  return sql`with t as (
  select users.id, users.usertype, users.tariff_id, users.time_zone, users.currency_id,
    case ${role}::text
      when 'admin' then ${scope.adminSeesAll}::bool or users.owner_id = 0
      when 'accountant' then users.owner_id = 0 and users.id <> 0
      when 'reseller' then users.id = ${actor}::int or users.owner_id = ${actor}::int
      else users.id = ${actor}::int end as visible
  from users where ${who} limit 1),
tf as (
  select tariffs.id, tariffs.purpose, tariffs.currency, t.id as user_id, t.currency_id,
    (${at}::timestamptz at time zone coalesce(nullif(t.time_zone, ''), 'UTC')) as local
  from t join tariffs on tariffs.id = t.tariff_id
  where t.visible and t.usertype in ('user', 'reseller', 'partner') and tariffs.purpose <> 'provider'
    and (${role}::text <> 'reseller' or tariffs.owner_id <> 0 or t.id = ${actor}::int or ${scope.adminTariffsAllowed}::bool)),
w as (
  select r.id, r.prefix, r.destination_id from tf join rates r on r.tariff_id = tf.id
  where tf.purpose = 'user_wholesale' and r.prefix = any(${candidates})
    and (r.effective_from is null or r.effective_from <= ${at}::timestamptz)
  order by length(r.prefix) desc, r.effective_from desc nulls last limit 1),
d as (
  select ds.id, ds.name, ds.prefix, ds.destinationgroup_id from tf, destinations ds
  where tf.purpose = 'user' and ds.prefix = any(${candidates})
  order by length(ds.prefix) desc limit 1),
c as (
  select cr.id from tf, d, customrates cr
  where cr.user_id = tf.user_id and cr.destinationgroup_id = d.destinationgroup_id and d.destinationgroup_id <> 0
    and exists (select 1 from acustratedetails x where x.customrate_id = cr.id)),
rr as (
  select r.id from tf, d, rates r
  where r.tariff_id = tf.id and r.destinationgroup_id = d.destinationgroup_id and d.destinationgroup_id <> 0
    and not exists (select 1 from c)),
lines as (
  select 'wholesale' as source, tf.currency, b.rate::text as price, ds.name, w.prefix, b.daytype, b.start_time::text,
    b.end_time::text, 1 as "from", -1 as duration, 'minute' as artype, 1 as round, b.connection_fee::text,
    b.increment_s as increment, b.min_time, ${isNow} as is_now
  from tf, w join ratedetails b on b.rate_id = w.id left join destinations ds on ds.id = w.destination_id
  union all
  select 'custom', (select name from currencies where id = tf.currency_id), b.price::text, d.name, d.prefix, b.daytype,
    b.start_time::text, b.end_time::text, b."from", b.duration, b.artype, b.round, null, null, null, ${isNow}
  from tf, d, c join acustratedetails b on b.customrate_id = c.id
  union all
  select 'retail', tf.currency, b.price::text, d.name, d.prefix, b.daytype, b.start_time::text, b.end_time::text,
    b."from", b.duration, b.artype, b.round, null, null, null, ${isNow}
  from tf, d, rr join aratedetails b on b.rate_id = rr.id)
select s.state, (select id from tf) as tariff_id, l.*
from (select case when not exists (select 1 from t) then 'no_user' when not (select visible from t) then 'hidden'
  else 'ok' end as state) s
left join lines l on true
order by case l.daytype when '' then 0 when 'WD' then 1 else 2 end, l.start_time, l."from"`;
}
