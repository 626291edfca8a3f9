import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import type { Db } from '../../../db/types.ts';
import { balanceMovesFromM } from '../../ledger/moveBalance.ts';
import { providerRateLateral } from '../../routing/providerRate.ts';
import { retailLateral, wholesaleBand, wholesaleChoice } from './pricing.ts';

/** One call ready to store: checked, originator resolved, the payers' wall clocks computed. */
export interface RatedInput {
  i: number;
  uniqueid: string;
  calldate: string;
  answer_time: string | null;
  end_time: string;
  duration: number;
  billsec: number;
  disposition: string;
  src: string;
  clid: string;
  dst: string;
  digits: string;
  user_id: number;
  device_id: number;
  reseller_id: number | null;
  dst_user_id: number | null;
  dst_device_id: number | null;
  did_id: number | null;
  hangupcause: number | null;
  provider_id: number | null;
  /** The provider tariff a provider rule switches this call to (ruleTariffs.ts), or null: the provider's own. */
  p_tariff: number | null;
  channel: string;
  call_type: 'outside' | 'local';
  /** Why the call is not rated ('unanswered', 'local'), or null: rate it. */
  skip: 'unanswered' | 'local' | null;
  u_tariff: number | null;
  u_purpose: string | null;
  u_dt: string;
  u_time: string;
  u_trate: string | null;
  u_orate: string | null;
  r_tariff: number | null;
  r_purpose: string | null;
  r_dt: string | null;
  r_time: string | null;
  r_trate: string | null;
  r_orate: string | null;
}

/** What storeCalls wrote: calls stored (the rest of the batch were duplicates), ledger rows appended. */
export interface Stored {
  stored: number;
  moved: number;
}

const COLUMNS = `i int, uniqueid text, calldate timestamptz, answer_time timestamptz, end_time timestamptz,
  duration int, billsec int, disposition text, src text, clid text, dst text, digits text, user_id int, device_id int,
  reseller_id int, dst_user_id int, dst_device_id int, did_id int, hangupcause int, provider_id int, p_tariff int, channel text,
  call_type text, skip text, u_tariff int, u_purpose text, u_dt text, u_time time, u_trate numeric,
  u_orate numeric, r_tariff int, r_purpose text, r_dt text, r_time time, r_trate numeric, r_orate numeric`;

/**
 * The provider's tariff (a provider rule's when one switches it, else the provider's own) priced for the
 * call's localized digits at its start, on the user's wall clock.
 */
const PROVIDER_RATE = providerRateLateral({
  tariff: 'coalesce(r.p_tariff, (select pv.tariff_id from providers pv where pv.id = r.provider_id))',
  digits: 'r.digits',
  at: 'r.calldate',
  dt: 'r.u_dt',
  time: 'r.u_time',
});

/**
 * Claims, rates, stores and charges a batch of calls in ONE statement: each uniqueid is claimed in
 * `call_keys` (a uniqueid stored before is skipped: never rated or charged twice; ids are drawn in the
 * batch's order but keys are claimed in uniqueid order, so two batches that share uniqueids in different
 * orders wait for each other instead of deadlocking), each claimed call priced for
 * its user and its reseller (pricing.ts: wholesale tariffs set-based for the batch, retail ones per
 * call; converted to the system currency with the tariff's — custom rates: the user's — exchange
 * rate), a call through a provider priced with the provider's tariff or the one a provider rule
 * switches it to (providerRate.ts: rate, billed seconds by its increment and minimal time, price in
 * the system currency; 0 when the tariff has no rate), inserted into its month's partition, and
 * charged through the ledger (moveBalance.ts, balanceMovesFromM): the user's price from the user,
 * the reseller's price from the reseller (memo `reseller price of a call of user <id>`), each
 * movement a ledger row whose source is the call, in the order of the batch. One statement, so the
 * calls, their keys and the money commit together, or none of them.
 */
export async function storeCalls(db: Db, rows: RatedInput[]): Promise<Stored> {
  if (rows.length === 0) return { stored: 0, moved: 0 };
  const [row] = await queryRows<Stored>(db, storeCallsQuery(rows));
  return row ?? { stored: 0, moved: 0 };
}

/** storeCalls' statement (bench/calls-ingest-profile.ts explains it). */
export function storeCallsQuery(rows: RatedInput[]): SQL {
  return sql`with r as (
        select r.*, r.user_id as u_custom, r.reseller_id as r_custom
        from json_to_recordset(${JSON.stringify(rows)}::json) as r(${sql.raw(COLUMNS)})),
      claimed as (
        insert into call_keys (uniqueid, call_id, calldate, user_id)
        select s.uniqueid, s.call_id, s.calldate, s.user_id
        from (select r.uniqueid, nextval('calls_id_seq'::regclass) as call_id, r.calldate, r.user_id from r order by r.i) s
        order by s.uniqueid collate "C"
        on conflict (uniqueid) do nothing
        returning uniqueid, call_id),
      k as (select r.*, c.call_id from r join claimed c on c.uniqueid = r.uniqueid),
      lens as (
        select coalesce((select array_agg(distinct x.length) from rate_prefix_lengths x
            where x.tariff_id in (select u_tariff from r where u_purpose = 'user_wholesale'
              union select r_tariff from r where r_purpose = 'user_wholesale')), '{}') as w,
          coalesce((select array_agg(x.length) from destination_prefix_lengths x
            where exists (select 1 from r where u_purpose = 'user' or r_purpose = 'user')), '{}') as d),
      wu as (${sql.raw(wholesaleChoice('u_'))}),
      wr as (${sql.raw(wholesaleChoice('r_'))}),
      kw as (
        select k.*, wu.id as u_wid, wu.prefix as u_wprefix, wu.destination_id as u_wdest,
          wr.id as r_wid, wr.prefix as r_wprefix, wr.destination_id as r_wdest
        from k left join wu on wu.i = k.i left join wr on wr.i = k.i),
      pu as (
        ${sql.raw(wholesaleBand('u_'))}
        union all
        select r.i, x.* from kw r cross join ${sql.raw(retailLateral('u_'))} x where r.u_purpose = 'user'),
      pr as (
        ${sql.raw(wholesaleBand('r_'))}
        union all
        select r.i, x.* from kw r cross join ${sql.raw(retailLateral('r_'))} x where r.r_purpose = 'user'),
      pv as (
        select r.i, x.* from kw r cross join ${sql.raw(PROVIDER_RATE)} x
        where r.skip is null and r.provider_id is not null),
      priced as (
        select r.*, up.found as u_found, up.rate as u_rate, up.billed as u_billed, up.price as u_price,
          case when up.custom then r.u_orate else r.u_trate end as u_x, up.prefix, up.destination_id,
          rp.found as r_found, rp.rate as r_rate, rp.billed as r_billed, rp.price as r_price,
          case when rp.custom then r.r_orate else r.r_trate end as r_x,
          pp.rate as p_rate, pp.connection_fee as p_fee, pp.inc as p_inc, pp.min_time as p_min, pp.exchange as p_x
        from kw r
        left join pu up on up.i = r.i
        left join pr rp on rp.i = r.i
        left join pv pp on pp.i = r.i),
      judged as (
        select p.*, case
            when p.skip is not null then p.skip
            when p.u_tariff is null or (p.reseller_id is not null and p.r_tariff is null) then 'no_tariff'
            when p.u_found is null or p.u_x is null
              or (p.reseller_id is not null and (p.r_found is null or p.r_x is null)) then 'no_rate'
            else 'rated' end as status
        from priced p),
      final as (
        select j.*,
          case when status = 'rated' then round(j.u_rate / j.u_x, 6) else 0 end as f_u_rate,
          case when status = 'rated' then j.u_billed else 0 end as f_u_billed,
          case when status = 'rated' then round(j.u_price / j.u_x, 6) else 0 end as f_u_price,
          case when status = 'rated' and j.reseller_id is not null then round(j.r_rate / j.r_x, 6) else 0 end as f_r_rate,
          case when status = 'rated' and j.reseller_id is not null then j.r_billed else 0 end as f_r_billed,
          case when status = 'rated' and j.reseller_id is not null then round(j.r_price / j.r_x, 6) else 0 end as f_r_price,
          case when j.p_x is not null then round(j.p_rate / j.p_x, 6) else 0 end as f_p_rate,
          case when j.p_x is not null and j.billsec > 0
            then greatest(j.p_min, ceil(j.billsec::numeric / j.p_inc)::int * j.p_inc) else 0 end as f_p_billed
        from judged j),
      provider_priced as (
        select f.*, case when f.f_p_billed > 0
            then round(round(f.p_fee + f.p_rate * f.f_p_billed / 60, 6) / f.p_x, 6) else 0 end as f_p_price
        from final f),
      ins as (
        insert into calls (id, user_id, calldate, answer_time, end_time, uniqueid, src, clid, dst, localized_dst, prefix,
          destination_id, duration, billsec, real_billsec, disposition, hangupcause, call_type, src_device_id, dst_user_id,
          dst_device_id, reseller_id, provider_id, did_id, originator_channel, rating_status, user_rate, user_billsec,
          user_price, reseller_rate, reseller_billsec, reseller_price, provider_rate, provider_billsec, provider_price)
        select call_id, user_id, calldate, answer_time, end_time, uniqueid, src, clid, dst, digits, coalesce(prefix, ''),
          destination_id, duration, billsec, billsec, disposition, hangupcause, call_type, device_id, dst_user_id,
          dst_device_id, reseller_id, provider_id, did_id, channel, status, f_u_rate, f_u_billed, f_u_price,
          f_r_rate, f_r_billed, f_r_price, f_p_rate, f_p_billed, f_p_price
        from provider_priced),
      m as (
        select f.i * 2 as n, f.user_id, -f.f_u_price as amount, f.call_id as source_id, '' as memo
        from provider_priced f where f.f_u_price <> 0
        union all
        select f.i * 2 + 1, f.reseller_id, -f.f_r_price, f.call_id, 'reseller price of a call of user ' || f.user_id
        from provider_priced f where f.reseller_id is not null and f.f_r_price <> 0),
      ${balanceMovesFromM('call')}
      select (select count(*) from provider_priced)::int as stored, (select count(*) from moved)::int as moved`;
}
