import { asc, eq, sql } from 'drizzle-orm';
import { tariffs } from '../../../db/schema/rating.ts';
import { hasRight } from '../../auth/rights.ts';
import { localTime } from '../../cards/time.ts';
import type { Ctx } from '../../ctx.ts';
import { forbidden, notFound } from '../../errors.ts';
import { systemZone } from '../../settings/systemZone.ts';

export interface TariffsGetRow {
  id: number;
  name: string;
  purpose: string;
  currency: string;
  /** `YYYY-MM-DD HH:MM:SS ±HHMM` in the system time zone. */
  lastUpdateDate: string;
}

const NOT_AUTHORIZED = 'You are not authorized to use this functionality';

/**
 * tariffs_get: every tariff of the caller's realm (all purposes) by id — admin and accountants with the
 * Tariffs right the admin's, a reseller its own (never the admin's, whatever "Allow Resellers to use
 * Admin Tariffs" says). Other callers are not authorized; none → NOT_FOUND.
 */
export async function tariffsGet(ctx: Ctx): Promise<TariffsGetRow[]> {
  const { actor } = ctx;
  let owner: number;
  if (actor.usertype === 'admin') owner = 0;
  else if (actor.usertype === 'accountant' && hasRight(actor, 'tariffs_manage', 1)) owner = 0;
  else if (actor.usertype === 'reseller') owner = actor.id;
  else throw forbidden('tariffs_get', NOT_AUTHORIZED);
  const zone = await systemZone(ctx.db);
  const rows = await ctx.db
    .select({
      id: tariffs.id,
      name: tariffs.name,
      purpose: tariffs.purpose,
      currency: tariffs.currency,
      lastUpdateDate: sql<string>`${localTime(sql`${tariffs.lastUpdateDate}`, zone)}`,
    })
    .from(tariffs)
    .where(eq(tariffs.ownerId, owner))
    .orderBy(asc(tariffs.id));
  if (rows.length === 0) throw notFound('tariffs', 'No Tariffs found');
  return rows;
}
