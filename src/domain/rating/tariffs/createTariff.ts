import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { TARIFF_PURPOSES, tariffs } from '../../../db/schema/rating.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { forbidden, invalid } from '../../errors.ts';
import { realmOf, requireTariffRight } from '../access.ts';
import { checkTariffFields, nameTakenMeanwhile } from '../tariffFields.ts';
import { getTariff } from './getTariff.ts';
import type { TariffView } from './view.ts';

export const CreateTariff = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  purpose: v.picklist(TARIFF_PURPOSES),
  /** Currency code; default the system currency. */
  currency: v.optional(v.string()),
});
export type CreateTariff = v.InferInput<typeof CreateTariff>;

/** A new tariff of the caller's realm; resellers may not create provider tariffs. Names unique per owner. */
export async function createTariff(ctx: Ctx, input: CreateTariff): Promise<TariffView> {
  requireTariffRight(ctx.actor, 2);
  if (input.purpose === 'provider' && ctx.actor.usertype === 'reseller') throw forbidden('provider_tariff');
  const ownerId = realmOf(ctx.actor);
  const problems = await checkTariffFields(ctx, ownerId, input, null);
  if (problems.length > 0) throw invalid('tariff', problems.join('; '));
  const id = await withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(tariffs)
      .values({
        name: input.name,
        purpose: input.purpose,
        ownerId,
        currency: input.currency ?? sql`coalesce((select name from currencies where is_default limit 1), 'USD')`,
      })
      .returning({ id: tariffs.id })
      .catch(nameTakenMeanwhile());
    await logAction(tx, { action: 'tariff_created', targetType: 'tariff', targetId: row!.id, data2: input.name });
    return row!.id;
  });
  return getTariff(ctx, id);
}
