import { eq } from 'drizzle-orm';
import type * as v from 'valibot';
import { providers } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { isUniqueViolation } from '../devices/problems.ts';
import { conflict } from '../errors.ts';
import { providerOwner, requireProviderWriter } from './providerAccess.ts';
import { checkProviderFields, ProviderFields } from './providerFields.ts';
import { createTrunkDevice } from './trunkDevice.ts';

export const CreateProvider = ProviderFields;
export type CreateProvider = v.InferOutput<typeof CreateProvider>;

/**
 * provider_create (admin only): name, tech and a provider tariff are required; defaults active 1,
 * dtmfmode rfc2833, location 1 (Global), timeout 60, network type ip, port 5060. Creates the
 * provider's internal device row too; logs `provider_created`.
 */
export async function createProvider(ctx: Ctx, input: CreateProvider): Promise<{ providerId: number }> {
  requireProviderWriter(ctx.actor);
  const ownerId = providerOwner(ctx.actor);
  const headline = 'Provider was not created';
  return withTransaction(ctx, async (tx) => {
    const fields = { ...input, name: input.name ?? '', tariffId: input.tariffId ?? '', tech: input.tech ?? '' };
    const patch = await checkProviderFields(tx, fields, { ownerId, networkType: 'ip' }, headline);
    let row: typeof providers.$inferSelect;
    try {
      [row] = (await tx.db
        .insert(providers)
        .values({ ...patch, name: patch.name!, ownerId })
        .returning()) as [typeof providers.$inferSelect];
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('name', 'Provider name must be unique');
      throw error;
    }
    const deviceId = await createTrunkDevice(tx, row);
    await tx.db.update(providers).set({ deviceId }).where(eq(providers.id, row.id));
    await logAction(tx, { action: 'provider_created', targetType: 'provider', targetId: row.id, data: row.name });
    return { providerId: row.id };
  });
}
