import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { resolveTariff, type TariffRef } from './resolveTariff.ts';

/** One interval of a retail or custom rate, as tariff_rates_get prints it. */
export interface RetailBand {
  from: number;
  duration: number;
  artype: 'minute' | 'event';
  round: number;
  price: string;
  startTime: string;
  endTime: string;
  daytype: string;
}

export interface GroupRates {
  groupName: string;
  groupType: string;
  bands: RetailBand[];
}

/** One band of a wholesale/provider rate with its destination. */
export interface WholesaleLine {
  direction: string;
  destination: string;
  prefix: string;
  subcode: string;
  code: string;
  price: string;
  connectionFee: string;
  increment: number;
  minTime: number;
  startTime: string;
  endTime: string;
  daytype: string;
  /** `YYYY-MM-DD HH:MM:SS` (UTC) or '' when undated. */
  effectiveFrom: string;
}

export interface TariffRates {
  tariff: TariffRef;
  /** Retail tariffs: per destination group, by group name. */
  groups: GroupRates[];
  /**
   * Wholesale and provider tariffs: by direction name, then prefix, then effective date (dated rows all
   * listed), read page by page as the consumer iterates (a million-rate tariff never sits in memory).
   * Empty for retail tariffs.
   */
  lines: AsyncIterable<WholesaleLine[]>;
  /** The target user's custom rates (in the user's currency), when asked for a user and it has some. */
  custom: { currency: string; groups: GroupRates[] } | null;
}

const BAND_ORDER = sql`case b.daytype when '' then 0 when 'WD' then 1 else 2 end, b.start_time, b."from"`;
const BAND_COLUMNS = sql`g.id, g.name as "groupName", g.desttype as "groupType", b."from", b.duration, b.artype, b.round,
  b.price::text as price, b.start_time::text as "startTime", b.end_time::text as "endTime", b.daytype`;

type BandRow = RetailBand & { id: number; groupName: string; groupType: string };

function byGroup(rows: BandRow[]): GroupRates[] {
  const out: GroupRates[] = [];
  let last: number | null = null;
  for (const { id, groupName, groupType, ...band } of rows) {
    if (id !== last) out.push({ groupName, groupType, bands: [] });
    last = id;
    out.at(-1)!.bands.push(band);
  }
  return out;
}

/** Rates per page of a wholesale export. */
export const EXPORT_PAGE = 2_000;

async function* noPages(): AsyncIterable<WholesaleLine[]> {}

/** The export order of a wholesale tariff's rates, as ids, in one statement (one int array). */
async function wholesaleOrder(ctx: Ctx, tariffId: number): Promise<number[]> {
  const [row] = await queryRows<{ ids: number[] | null }>(
    ctx.db,
    sql`select array_agg(r.id order by coalesce(dr.name, ''), r.prefix, r.effective_from nulls first, r.id) as ids
      from rates r left join destinations ds on ds.id = r.destination_id left join directions dr on dr.code = ds.direction_code
      where r.tariff_id = ${tariffId}::int`,
  );
  return row?.ids ?? [];
}

/**
 * The bands of `ids` (in that order) EXPORT_PAGE rates at a time, each page read when the consumer asks
 * for it. The order and the set of rates are fixed when the export starts; a rate changed meanwhile is
 * printed as it is when its page is read, one deleted meanwhile is left out.
 */
async function* wholesalePages(ctx: Ctx, tariffId: number, ids: number[]): AsyncIterable<WholesaleLine[]> {
  for (let start = 0; start < ids.length; start += EXPORT_PAGE) {
    const page = ids.slice(start, start + EXPORT_PAGE).join(',');
    yield await queryRows<WholesaleLine>(
      ctx.db,
      sql`select coalesce(dr.name, '') as direction, coalesce(ds.name, '') as destination, r.prefix,
        coalesce(ds.subcode, '') as subcode, coalesce(ds.direction_code, '') as code, b.rate::text as price,
        b.connection_fee::text as "connectionFee", b.increment_s as increment, b.min_time as "minTime",
        b.start_time::text as "startTime", b.end_time::text as "endTime", b.daytype,
        coalesce(to_char(r.effective_from at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '') as "effectiveFrom"
      from unnest(string_to_array(${page}::text, ',')::int[]) with ordinality as x(id, n)
        join rates r on r.id = x.id and r.tariff_id = ${tariffId}::int join ratedetails b on b.rate_id = r.id
        left join destinations ds on ds.id = r.destination_id left join directions dr on dr.code = ds.direction_code
      order by x.n, case b.daytype when '' then 0 when 'WD' then 1 else 2 end, b.start_time, b.id`,
    );
  }
}

/** tariff_rates_get: the whole tariff the caller may read (see resolveTariff) and the target's custom rates. */
export async function getTariffRates(
  ctx: Ctx,
  input: { userId?: number; tariffId?: number },
  adminTariffsAllowed: boolean,
): Promise<TariffRates> {
  const { tariff, customRatesOf } = await resolveTariff(ctx, input, adminTariffsAllowed);
  const result: TariffRates = { tariff, groups: [], lines: noPages(), custom: null };
  if (tariff.purpose === 'user') {
    result.groups = byGroup(
      await queryRows<BandRow>(
        ctx.db,
        sql`select ${BAND_COLUMNS} from rates r join destinationgroups g on g.id = r.destinationgroup_id
        join aratedetails b on b.rate_id = r.id where r.tariff_id = ${tariff.id} order by g.name, g.id, ${BAND_ORDER}`,
      ),
    );
  } else {
    result.lines = wholesalePages(ctx, tariff.id, await wholesaleOrder(ctx, tariff.id));
  }
  if (customRatesOf !== null) {
    const groups = byGroup(
      await queryRows<BandRow>(
        ctx.db,
        sql`select ${BAND_COLUMNS} from customrates c join destinationgroups g on g.id = c.destinationgroup_id
        join acustratedetails b on b.customrate_id = c.id where c.user_id = ${customRatesOf}
        order by g.name, g.id, ${BAND_ORDER}`,
      ),
    );
    if (groups.length > 0) {
      const [cur] = await queryRows<{ name: string }>(
        ctx.db,
        sql`select coalesce((select c.name from users u join currencies c on c.id = u.currency_id
          where u.id = ${customRatesOf}), '') as name`,
      );
      result.custom = { currency: cur?.name ?? '', groups };
    }
  }
  return result;
}
