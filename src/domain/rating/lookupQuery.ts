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
  /** The band row's id (last sort key, so equal bands always come in the same order). */
  band_id: number | null;
  /** The target user's stored time zone (bands are matched against its wall clock, see localClock). */
  time_zone: string | null;
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
  const byId = target.userId !== undefined;
  return sql`with p as (select ${target.username ?? ''}::text as username, ${target.userId ?? 0}::int as user_id,
  ${scope.role}::text as role, ${scope.actorId}::int as actor, ${scope.adminSeesAll}::bool as admin_all,
  ${scope.adminTariffsAllowed}::bool as admin_tariffs, ${target.digits}::text as digits, ${target.full}::bool as full,
  ${target.at.toISOString()}::timestamptz as at)${sql.raw(byId ? BY_ID : BY_USERNAME)}`;
}

/** Every leading substring of the digits (full-number mode) or the digits alone: an InitPlan array. */
const CANDIDATES = `array(select left(p.digits, n) from p, generate_series(
    case when p.full then 1 else length(p.digits) end, length(p.digits)) n)`;

/** The constant rest of the statement (rendered once: only the `p` parameters change per call). */
const rest = (who: string) => `,
t as (
  select users.id, users.usertype, users.tariff_id, users.time_zone, users.currency_id,
    case p.role
      when 'admin' then p.admin_all or users.owner_id = 0
      when 'accountant' then users.owner_id = 0 and users.id <> 0
      when 'reseller' then users.id = p.actor or users.owner_id = p.actor
      else users.id = p.actor end as visible
  from users, p where ${who} limit 1),
tf as (
  select tariffs.id, tariffs.purpose, tariffs.currency, t.id as user_id, t.currency_id
  from p, t join tariffs on tariffs.id = t.tariff_id
  where t.visible and t.usertype in ('user', 'reseller', 'partner') and tariffs.purpose <> 'provider'
    and (p.role <> 'reseller' or tariffs.owner_id <> 0 or t.id = p.actor or p.admin_tariffs)),
w as (
  select r.id, r.prefix, r.destination_id from tf join rates r on r.tariff_id = tf.id
  where tf.purpose = 'user_wholesale' and r.prefix = any(${CANDIDATES})
    and (r.effective_from is null or r.effective_from <= (select at from p))
  order by length(r.prefix) desc, r.effective_from desc nulls last limit 1),
d as (
  select ds.id, ds.name, ds.prefix, ds.destinationgroup_id from tf, destinations ds
  where tf.purpose = 'user' and ds.prefix = any(${CANDIDATES})
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
    b.increment_s as increment, b.min_time, b.id as band_id
  from tf, w join ratedetails b on b.rate_id = w.id left join destinations ds on ds.id = w.destination_id
  union all
  select 'custom', (select name from currencies where id = tf.currency_id), b.price::text, d.name, d.prefix, b.daytype,
    b.start_time::text, b.end_time::text, b."from", b.duration, b.artype, b.round, null, null, null, b.id
  from tf, d, c join acustratedetails b on b.customrate_id = c.id
  union all
  select 'retail', tf.currency, b.price::text, d.name, d.prefix, b.daytype, b.start_time::text, b.end_time::text,
    b."from", b.duration, b.artype, b.round, null, null, null, b.id
  from tf, d, rr join aratedetails b on b.rate_id = rr.id)
select s.state, (select id from tf) as tariff_id, (select time_zone from t) as time_zone, l.*
from (select case when not exists (select 1 from t) then 'no_user' when not (select visible from t) then 'hidden'
  else 'ok' end as state) s
left join lines l on true
order by case l.daytype when '' then 0 when 'WD' then 1 else 2 end, l.start_time, l."from", l.band_id`;

const BY_USERNAME = rest('users.username = p.username');
const BY_ID = rest('users.id = p.user_id');
