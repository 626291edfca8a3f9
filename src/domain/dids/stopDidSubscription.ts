import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { didAfterItsDevice, didInRealm } from './didAccess.ts';

export const StopDidSubscription = v.object({ didId: RowId });
export type StopDidSubscription = v.InferOutput<typeof StopDidSubscription>;

/** Days a closed DID stays reserved for its user before it is free again ("DID Management"). */
export const DID_CLOSED_DAYS = 90;

/** did_subscription_stop: an active DID on a device → closed, kept for its user for 90 days. */
export async function stopDidSubscription(ctx: Ctx, input: StopDidSubscription): Promise<void> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2, 'Access Denied');
  await withTransaction(ctx, async (tx) => {
    const did = await didAfterItsDevice(tx, (lock) => didInRealm(tx, input.didId, lock));
    if (did.status !== 'active' || did.deviceId === 0 || did.dialplanId !== 0) {
      throw conflict('did_no_device', 'DID is not assigned to Device');
    }
    const closedTill = new Date(tx.clock().getTime() + DID_CLOSED_DAYS * 86_400_000);
    await tx.db.update(dids).set({ status: 'closed', closedTill, deviceId: 0 }).where(eq(dids.id, did.id));
    await tx.db
      .update(devices)
      .set({ primaryDidId: 0 })
      .where(and(eq(devices.id, did.deviceId), eq(devices.primaryDidId, did.id)));
    await logAction(tx, { action: 'did_closed', targetType: 'did', targetId: did.id, data: String(did.deviceId) });
  });
}
