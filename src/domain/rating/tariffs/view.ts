import { and, eq, type SQL, sql } from 'drizzle-orm';
import { tariffs } from '../../../db/schema/rating.ts';
import type { Ctx } from '../../ctx.ts';
import { notFound } from '../../errors.ts';
import { writableTariffs } from '../access.ts';

/** A tariff as the admin API shows it. */
export interface TariffView {
  id: number;
  name: string;
  purpose: 'provider' | 'user' | 'user_wholesale';
  ownerId: number;
  currency: string;
  /** ISO 8601 (UTC). */
  lastUpdateDate: string;
  /** Rates of the tariff (retail: destination groups priced). */
  ratesCount: number;
}

export const tariffColumns = {
  id: tariffs.id,
  name: tariffs.name,
  purpose: tariffs.purpose,
  ownerId: tariffs.ownerId,
  currency: tariffs.currency,
  lastUpdateDate: sql<string>`to_char(${tariffs.lastUpdateDate} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
  // Qualified by hand: inside a select list drizzle renders ${tariffs.id} as a bare "id", which the
  // subquery would read as the rate's own id (every tariff then counted 0 to 2 rates).
  ratesCount: sql<number>`(select count(*)::int from rates r where r.tariff_id = "tariffs"."id")`,
};

/** Tariffs matching `where`, with the view columns. */
export const selectTariffs = (ctx: Pick<Ctx, 'db'>, where: SQL | undefined) =>
  ctx.db.select(tariffColumns).from(tariffs).where(where).orderBy(tariffs.name, tariffs.id);

/** The tariff `id` if the actor may change it, else NOT_FOUND (other owners' tariffs are not revealed). */
export async function writableTariff(ctx: Ctx, id: number): Promise<TariffView> {
  const [row] = await selectTariffs(ctx, and(eq(tariffs.id, id), writableTariffs(ctx.actor)));
  if (!row) throw notFound('tariff');
  return row;
}
