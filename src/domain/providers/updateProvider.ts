import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { providers } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { isUniqueViolation } from '../devices/problems.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { providerInReach, requireProviderWriter } from './providerAccess.ts';
import { checkProviderFields, ProviderFields } from './providerFields.ts';
import { syncTrunkDevice } from './trunkDevice.ts';

export const UpdateProvider = v.object({ providerId: v.optional(RowId), ...ProviderFields.entries });
export type UpdateProvider = v.InferOutput<typeof UpdateProvider>;

/**
 * provider_update (admin only): changes the sent fields (tech is not changeable), checked like
 * provider_create; mirrors them on the trunk device; logs `provider_updated` with old/new values.
 */
export async function updateProvider(ctx: Ctx, input: UpdateProvider & { providerId?: number }): Promise<void> {
  requireProviderWriter(ctx.actor);
  await withTransaction(ctx, async (tx) => {
    const current = await providerInReach(tx, input.providerId, true);
    const { providerId: _id, tech: _tech, ...fields } = input;
    const patch = await checkProviderFields(tx, fields, current, 'Provider was not updated', current.id);
    let row: typeof providers.$inferSelect;
    try {
      [row] = (await tx.db.update(providers).set(patch).where(eq(providers.id, current.id)).returning()) as [
        typeof providers.$inferSelect,
      ];
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('name', 'Provider name must be unique');
      throw error;
    }
    await syncTrunkDevice(tx, row);
    const changed = Object.keys(patch) as (keyof typeof patch)[];
    await logAction(tx, {
      action: 'provider_updated',
      targetType: 'provider',
      targetId: row.id,
      data: JSON.stringify(Object.fromEntries(changed.map((k) => [k, current[k]]))),
      data2: JSON.stringify(Object.fromEntries(changed.map((k) => [k, row[k]]))),
    });
  });
}
