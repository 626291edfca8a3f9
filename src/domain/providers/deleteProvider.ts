import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { providers } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { providerInReach, requireProviderWriter } from './providerAccess.ts';
import { deleteTrunkDevice } from './trunkDevice.ts';

export const DeleteProvider = v.object({ providerId: RowId });
export type DeleteProvider = v.InferOutput<typeof DeleteProvider>;

export const CANNOT_DELETE = 'Cannot delete provider';

/** True when a DID, an LCR (main or failover list, or as its failover provider) or a call refers to it. */
async function providerInUse(ctx: Ctx, id: number): Promise<boolean> {
  const [row] = await ctx.db
    .select({
      used: sql<boolean>`(exists (select 1 from dids where provider_id = ${id}::int)
        or exists (select 1 from lcrproviders where provider_id = ${id}::int)
        or exists (select 1 from lcrs where failover_provider_id = ${id}::int)
        or exists (select 1 from calls where provider_id = ${id}::int))`,
    })
    .from(providers)
    .where(eq(providers.id, id));
  return row?.used === true;
}

/**
 * provider_delete (admin only): refused with `Cannot delete provider` while the provider is in use;
 * else deletes it and its trunk device row, logs `provider_deleted`.
 */
export async function deleteProvider(ctx: Ctx, input: { providerId?: number }): Promise<void> {
  requireProviderWriter(ctx.actor);
  await withTransaction(ctx, async (tx) => {
    const row = await providerInReach(tx, input.providerId, true);
    if (await providerInUse(tx, row.id)) throw conflict('in_use', CANNOT_DELETE);
    await tx.db.delete(providers).where(eq(providers.id, row.id));
    await deleteTrunkDevice(tx, row);
    await logAction(tx, { action: 'provider_deleted', targetType: 'provider', targetId: row.id, data: row.name });
  });
}
