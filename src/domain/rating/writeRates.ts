import { sql } from 'drizzle-orm';
import type { Ctx } from '../ctx.ts';
import { refreshPlannerStatistics } from '../plannerStatistics.ts';
import { actorZone } from '../users/actorZone.ts';
import { lockDestinationWriters } from './destinations/lockDestinations.ts';
import type { RateRow } from './rateRows.ts';

/**
 * Rows per statement: large enough to amortise round trips, small enough to keep one JSON parameter
 * modest; also the progress step an operator sees in the log for a big import.
 */
const BATCH = 10_000;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/**
 * Upserts validated wholesale rates of one tariff, BATCH rows per statement (one JSON parameter
 * unnested by json_to_recordset, never one statement per row). Per row: the destination is created when
 * its prefix is new (name from the row, else the prefix; in no group, so the Integrity Check lists it);
 * the rate for (tariff, prefix, effective date) is inserted or reused and its bands are replaced by one
 * all-day band. Effective dates without an offset are read in the acting account's time zone.
 * Call inside the caller's transaction: a failure anywhere leaves the tariff as it was.
 */
export async function writeRates(tx: Ctx, tariffId: number, rows: readonly RateRow[]): Promise<void> {
  // First, so the tariff row is locked for the whole transaction: two concurrent upserts of the same
  // prefix would otherwise each delete the bands they saw and each insert one (two bands left).
  await tx.db.execute(sql`update tariffs set last_update_date = now() where id = ${tariffId}::int`);
  // Rate writes of different tariffs then run one at a time: each batch may add destinations.
  await lockDestinationWriters(tx);
  const zone = rows.some((r) => r.effectiveFrom && !OFFSET.test(r.effectiveFrom)) ? await actorZone(tx) : 'UTC';
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH).map((r) => ({
      prefix: r.prefix,
      price: r.price,
      fee: r.connectionFee ?? '0',
      inc: r.increment ?? 1,
      mt: r.minTime ?? 0,
      eff: r.effectiveFrom ?? null,
      local: r.effectiveFrom ? !OFFSET.test(r.effectiveFrom) : false,
      name: r.destination ?? '',
    }));
    await tx.db.execute(sql`with x as (
  select x.prefix, x.price, x.fee, x.inc, x.mt, x.name,
    case when x.eff is null then null when x.local
      then x.eff::timestamp at time zone ${zone}::text
      else x.eff::timestamptz end as eff
  from json_to_recordset(${JSON.stringify(batch)}::json)
    as x(prefix text, price numeric, fee numeric, inc int, mt int, eff text, local bool, name text)),
created as (
  insert into destinations (prefix, name)
  select distinct on (prefix) prefix, coalesce(nullif(name, ''), prefix) from x order by prefix
  on conflict (prefix) do nothing
  returning id, prefix),
dest as (
  select id, prefix from created
  union all select d.id, d.prefix from destinations d where d.prefix in (select prefix from x)),
up as (
  insert into rates (tariff_id, destination_id, prefix, effective_from)
  select ${tariffId}::int, dest.id, x.prefix, x.eff from x join dest on dest.prefix = x.prefix
  on conflict (tariff_id, prefix, (coalesce(effective_from, '-infinity'::timestamptz)))
  do update set destination_id = excluded.destination_id
  returning id, prefix, effective_from, xmax = 0 as inserted),
gone as (delete from ratedetails where rate_id in (select id from up where not inserted))
insert into ratedetails (rate_id, rate, connection_fee, increment_s, min_time)
select up.id, x.price, x.fee, x.inc, x.mt from up join x on x.prefix = up.prefix
  and coalesce(x.eff, '-infinity'::timestamptz) = coalesce(up.effective_from, '-infinity'::timestamptz)`);
    // Bulk work tells the operator how far it got (each step of BATCH rows; not for small imports).
    if (rows.length > BATCH) {
      tx.log.info('rates import progress', { tariffId, written: start + batch.length, total: rows.length });
    }
  }
  await refreshPlannerStatistics(tx.db, ['rates', 'ratedetails', 'destinations'], rows.length);
}
