/**
 * The wholesale rate of every call of the batch for one payer, set-based (`k` = the claimed calls,
 * `lens` = the prefix lengths that exist, from the trigger-kept rate_prefix_lengths): the effective rate
 * with the longest prefix, the newest effective date first (undated last). One join instead of a probe
 * per call.
 */
export function wholesaleChoice(p: string): string {
  return `select distinct on (k.i) k.i, rt.id, rt.prefix, rt.destination_id
    from k cross join lateral unnest((select w from lens)) n
    join rates rt on rt.tariff_id = k.${p}tariff and rt.prefix = left(k.digits, n)
    where k.${p}purpose = 'user_wholesale' and n <= length(k.digits)
      and (rt.effective_from is null or rt.effective_from <= k.calldate)
    order by k.i, n desc, rt.effective_from desc nulls last`;
}

/**
 * The band in effect of each call's chosen wholesale rate for one payer, set-based over `kw` (the
 * claimed calls with `<p>wid` from wholesaleChoice): a work/free-day band before an all-days one, the
 * earliest start, then the lowest id — one join for the batch instead of a lookup per call. Answers
 * the priced call: `found`, `rate`, `billed` = max(min time, billsec rounded up to the increment),
 * `price` = fee + rate × billed / 60 (6 decimals; nothing for 0 seconds), `custom` false, `prefix`,
 * `destination_id` (rate_get's wholesale band choice and calculator.cost).
 */
export function wholesaleBand(p: string): string {
  return `select i, true as found, rate, billed,
      case when billsec = 0 then 0::numeric else round(connection_fee + rate * billed / 60, 6) end as price,
      false as custom, prefix, destination_id
    from (select distinct on (r.i) r.i, r.billsec, b.rate, b.connection_fee, r.${p}wprefix as prefix,
        r.${p}wdest as destination_id,
        case when r.billsec = 0 then 0
          else greatest(b.min_time, ceil(r.billsec::numeric / greatest(b.increment_s, 1))::int * greatest(b.increment_s, 1)) end as billed
      from kw r join ratedetails b on b.rate_id = r.${p}wid
      where (b.daytype = '' or b.daytype = r.${p}dt) and b.start_time <= r.${p}time and r.${p}time <= b.end_time
      order by r.i, b.daytype = '', b.start_time, b.id) x`;
}

/**
 * The retail price of one call for one payer (a `user` tariff), as a LATERAL subquery over the columns
 * of the current row: the same choice and arithmetic as rate_get's lookup and calculator.cost
 * (rating/lookupQuery.ts, rating/calculateCost.ts), for many calls in one statement. `p` names the
 * row's columns: `<p>tariff`, `<p>purpose`, `<p>custom` (user whose custom rates apply), `<p>dt` /
 * `<p>time` (day type and wall-clock time at the call start), plus the row's `digits` and `billsec`.
 * Wholesale calls are priced set-based by wholesaleChoice and wholesaleBand; the caller joins this
 * only to rows whose purpose is `user`.
 *
 * The longest destination, its group, the user's custom rate for the group else the tariff's; every
 * interval in effect billed by its rounding step, events once reached. Nothing is charged for 0
 * seconds. Answers one row: `found`, `rate` (first minute band), `billed`, `price` (6 decimals, tariff
 * currency), `custom`, `prefix`, `destination_id`; no row when the tariff has no rate for the number.
 */
export function retailLateral(p: string): string {
  // Candidate prefixes of the lengths that exist at all (CTE `lens` of the statement: destinations),
  // so a lookup probes a few keys instead of up to 20.
  const cands = (lens: string) =>
    `array(select left(r.digits, n) from unnest((select ${lens} from lens)) n where n <= length(r.digits))`;
  const inEffect = (b: string) =>
    `(${b}.daytype = '' or ${b}.daytype = r.${p}dt) and ${b}.start_time <= r.${p}time and r.${p}time <= ${b}.end_time`;
  return `lateral (
  with d as (
    select ds.id, ds.prefix, ds.destinationgroup_id from destinations ds
    where r.${p}purpose = 'user' and ds.prefix = any(${cands('d')})
    order by length(ds.prefix) desc limit 1),
  c as (
    select cr.id from d join customrates cr on cr.user_id = r.${p}custom and cr.destinationgroup_id = d.destinationgroup_id
    where d.destinationgroup_id <> 0 and exists (select 1 from acustratedetails x where x.customrate_id = cr.id)
    order by cr.id limit 1),
  rr as (
    select rt.id from d join rates rt on rt.tariff_id = r.${p}tariff and rt.destinationgroup_id = d.destinationgroup_id
    where d.destinationgroup_id <> 0 and not exists (select 1 from c) order by rt.id limit 1),
  ab as (
    select b.price, b."from", b.duration, b.artype, b.round, b.daytype, b.start_time, b.id, true as custom
    from c join acustratedetails b on b.customrate_id = c.id where ${inEffect('b')}
    union all
    select b.price, b."from", b.duration, b.artype, b.round, b.daytype, b.start_time, b.id, false
    from rr join aratedetails b on b.rate_id = rr.id where ${inEffect('b')}),
  sel as (select * from ab where (ab.daytype <> '') = exists (select 1 from ab x where x.daytype <> '')),
  billed as (
    select sel.*, case when sel.artype <> 'minute' or r.billsec = 0 then 0
      else ceil(greatest(0, least(r.billsec, case when sel.duration = -1 then r.billsec else sel."from" + sel.duration - 1 end)
        - (sel."from" - 1))::numeric / greatest(sel.round, 1))::int * greatest(sel.round, 1) end as secs
    from sel)
  select true as found, (select b.price from billed b order by b.artype <> 'minute', b.daytype = '', b.start_time, b."from", b.id limit 1) as rate,
    sum(secs)::int as billed,
    round(sum(case when r.billsec = 0 then 0 when artype = 'event' then case when r.billsec >= "from" then price else 0 end
      else price * secs / 60 end), 6) as price,
    bool_or(custom) as custom, (select prefix from d) as prefix, (select id from d) as destination_id
  from billed having count(*) > 0
)`;
}
