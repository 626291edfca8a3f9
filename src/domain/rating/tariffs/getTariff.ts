import { and, eq } from 'drizzle-orm';
import { tariffs } from '../../../db/schema/rating.ts';
import type { Ctx } from '../../ctx.ts';
import { notFound } from '../../errors.ts';
import { readableTariffs, requireTariffRight, resellersMayUseAdminTariffs } from '../access.ts';
import { selectTariffs, type TariffView } from './view.ts';

/** One tariff the caller may read; NOT_FOUND otherwise. */
export async function getTariff(ctx: Ctx, id: number): Promise<TariffView> {
  requireTariffRight(ctx.actor, 1);
  const allowed = ctx.actor.usertype === 'reseller' && (await resellersMayUseAdminTariffs(ctx));
  const [row] = await selectTariffs(ctx, and(eq(tariffs.id, id), readableTariffs(ctx.actor, allowed)));
  if (!row) throw notFound('tariff');
  return row;
}
