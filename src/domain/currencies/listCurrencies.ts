import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';

export interface CurrencyView {
  id: number;
  name: string;
  fullName: string;
  /** Units of this currency per one unit of the system currency, exact decimal text. */
  exchangeRate: string;
  active: boolean;
  isDefault: boolean;
  /** "Update?": refreshed automatically; exchange_rate_update refuses such currencies. */
  currUpdate: boolean;
  /** ISO 8601 (UTC). */
  lastUpdate: string;
}

export const CURRENCY_COLUMNS = sql`id, name, full_name as "fullName", exchange_rate::text as "exchangeRate", active,
  is_default as "isDefault", curr_update as "currUpdate",
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastUpdate"`;

/** Currencies, the system currency first. Anyone with an admin API token may read them. */
export async function listCurrencies(ctx: Pick<Ctx, 'db'>): Promise<CurrencyView[]> {
  return queryRows<CurrencyView>(
    ctx.db,
    sql`select ${CURRENCY_COLUMNS} from currencies order by is_default desc, name`,
  );
}

export async function getCurrency(ctx: Pick<Ctx, 'db'>, id: number): Promise<CurrencyView> {
  const [row] = await queryRows<CurrencyView>(
    ctx.db,
    sql`select ${CURRENCY_COLUMNS} from currencies where id = ${id}::int`,
  );
  if (!row) throw notFound('currency');
  return row;
}
