import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import type { Db } from '../../../db/types.ts';
import type { Usertype } from '../../auth/types.ts';
import type { DestinationRow, RetailBandRow } from './retailIndex.ts';
import type { WholesaleRow } from './wholesaleIndex.ts';

/** Rows per batch when a large table is read into memory (keyset pages, so serving goes on between them). */
export const BATCH = 20_000;
/**
 * Rates per wholesale page: small enough that Postgres plans index lookups per rate (a nested loop)
 * below its JIT threshold; a larger page flips to two full scans or spends longer compiling than running.
 */
export const RATE_BATCH = 5_000;

/** The columns of a rate lookup's target user. */
export interface TargetUser {
  id: number;
  usertype: Usertype;
  ownerId: number;
  tariffId: number | null;
  timeZone: string;
}

export async function loadTargetUser(db: Db, username: string): Promise<TargetUser | null> {
  const [row] = await queryRows<TargetUser>(
    db,
    sql`select id, usertype, owner_id as "ownerId", tariff_id as "tariffId", time_zone as "timeZone"
      from users where username = ${username}::text limit 1`,
  );
  return row ?? null;
}

export interface TariffMeta {
  id: number;
  purpose: 'provider' | 'user' | 'user_wholesale';
  ownerId: number;
  /** Rates the tariff holds (wholesale: one per prefix and date; retail: one per group): what caching it costs. */
  size: number;
  /** Lowest and highest rate id of the tariff (the id windows a wholesale load reads; null: no rates). */
  minId: number | null;
  maxId: number | null;
}

export async function loadTariffMeta(db: Db, tariffId: number): Promise<TariffMeta | null> {
  const [row] = await queryRows<TariffMeta>(
    db,
    sql`select t.id, t.purpose, t.owner_id as "ownerId", s.size, s."minId", s."maxId"
      from tariffs t, lateral (select count(*)::int as size, min(r.id) as "minId", max(r.id) as "maxId"
        from rates r where r.tariff_id = t.id) s
      where t.id = ${tariffId}::int`,
  );
  return row ?? null;
}

/**
 * One window of a wholesale tariff: its rates with `from` < id ≤ `from` + RATE_BATCH, each with its
 * bands. Windows are independent, so the next one is read while the previous one is being indexed.
 * Rates of one tariff are mostly contiguous in id (an import writes them together); a window that
 * holds few of them only costs a short primary-key range scan.
 */
export function loadWholesalePage(db: Db, tariffId: number, from: number): Promise<WholesaleRow[]> {
  return queryRows<WholesaleRow>(
    db,
    sql`with r as (select id, prefix, effective_from, destination_id from rates
        where id > ${from}::int and id <= ${from + RATE_BATCH}::int and tariff_id = ${tariffId}::int
          and prefix is not null)
      select r.id, r.prefix, (extract(epoch from r.effective_from) * 1000)::float8 as eff,
        coalesce((select ds.name from destinations ds where ds.id = r.destination_id), '') as name,
        b.id as band_id, b.daytype, b.start_time::text as start_time, b.end_time::text as end_time, b.rate::text as price,
        b.connection_fee::text as fee, greatest(b.increment_s, 1) as inc, b.min_time
      from r left join lateral (select * from ratedetails b where b.rate_id = r.id offset 0) b on true
      order by r.id, b.id`,
  );
}

const RETAIL_BAND = sql`b.id, b.daytype, b.start_time::text as start_time, b.end_time::text as end_time, b."from",
  b.artype, b.price::text as price`;

/** A retail tariff's bands by destination group (groups whose rate has no band are absent). */
export function loadRetailBands(db: Db, tariffId: number): Promise<RetailBandRow[]> {
  return queryRows<RetailBandRow>(
    db,
    sql`select r.destinationgroup_id as group_id, ${RETAIL_BAND}
      from rates r join aratedetails b on b.rate_id = r.id
      where r.tariff_id = ${tariffId}::int and r.destinationgroup_id is not null and r.destinationgroup_id <> 0`,
  );
}

/** A user's custom rates (acustratedetails) by destination group. */
export function loadCustomBands(db: Db, userId: number): Promise<RetailBandRow[]> {
  return queryRows<RetailBandRow>(
    db,
    sql`select cr.destinationgroup_id as group_id, ${RETAIL_BAND}
      from customrates cr join acustratedetails b on b.customrate_id = cr.id
      where cr.user_id = ${userId}::int and cr.destinationgroup_id <> 0`,
  );
}

export async function countDestinations(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from destinations`);
  return row?.n ?? 0;
}

/** One keyset page of destinations. */
export function loadDestinationPage(db: Db, after: number): Promise<DestinationRow[]> {
  return queryRows<DestinationRow>(
    db,
    sql`select id, prefix, name, destinationgroup_id as group_id from destinations
      where id > ${after}::int order by id limit ${BATCH}::int`,
  );
}
