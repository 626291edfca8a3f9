import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { tariffs } from '../../../db/schema/rating.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { invalid } from '../../errors.ts';
import { RowId } from '../../ids.ts';
import { requireTariffRight } from '../access.ts';
import { checkTariffFields, nameTakenMeanwhile } from '../tariffFields.ts';
import { getTariff } from './getTariff.ts';
import { type TariffView, writableTariff } from './view.ts';

export const UpdateTariff = v.object({
  id: RowId,
  name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  currency: v.optional(v.string()),
});
export type UpdateTariff = v.InferInput<typeof UpdateTariff>;

/** Renames a tariff or changes its currency (prices are not converted: they are in the tariff's currency). */
export async function updateTariff(ctx: Ctx, input: UpdateTariff): Promise<TariffView> {
  requireTariffRight(ctx.actor, 2);
  const current = await writableTariff(ctx, input.id);
  const problems = await checkTariffFields(ctx, current.ownerId, input, current.id);
  if (problems.length > 0) throw invalid('tariff', problems.join('; '));
  await withTransaction(ctx, async (tx) => {
    await tx.db
      .update(tariffs)
      .set({ name: input.name, currency: input.currency, lastUpdateDate: sql`now()` })
      .where(eq(tariffs.id, current.id))
      .catch(nameTakenMeanwhile());
    await logAction(tx, {
      action: 'tariff_updated',
      targetType: 'tariff',
      targetId: current.id,
      data: `${current.name} ${current.currency}`,
      data2: `${input.name ?? current.name} ${input.currency ?? current.currency}`,
    });
  });
  return getTariff(ctx, current.id);
}
