import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { didAfterItsDevice, didForManager, requireDidManager } from './didAccess.ts';

export const UnassignDid = v.object({
  /** DID number; `didId` addresses it by id when the number is absent. */
  did: v.optional(v.string()),
  didId: v.optional(RowId),
});
export type UnassignDid = v.InferOutput<typeof UnassignDid>;

/** did_device_unassign: an active DID leaves its device → free (a reseller's DID stays with it). */
export async function unassignDid(ctx: Ctx, input: UnassignDid): Promise<void> {
  requireDidManager(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const by = input.did !== undefined ? { number: input.did } : { id: input.didId };
    const did = await didAfterItsDevice(tx, (lock) => didForManager(tx, by, lock));
    if (did.status === 'terminated') throw conflict('did_terminated', 'DID is terminated');
    if (did.dialplanId !== 0) throw conflict('did_dialplan', 'DID is assigned to dialplan');
    if (did.status !== 'active' || did.deviceId === 0) throw conflict('did_free', 'DID is already free');
    await tx.db.update(dids).set({ deviceId: 0, userId: 0, status: 'free' }).where(eq(dids.id, did.id));
    await tx.db
      .update(devices)
      .set({ primaryDidId: 0 })
      .where(and(eq(devices.id, did.deviceId), eq(devices.primaryDidId, did.id)));
    await logAction(tx, { action: 'did_unassigned', targetType: 'did', targetId: did.id, data: String(did.deviceId) });
  });
}
