import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { findAnyDevice } from '../devices/findDevice.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { didForManager, requireDidManager } from './didAccess.ts';

export const AssignDid = v.object({ deviceId: RowId, did: v.string() });
export type AssignDid = v.InferOutput<typeof AssignDid>;

/**
 * did_device_assign: puts a free DID (or one reserved for the device's user) on a device within
 * reach → active. A DID the admin kept goes only to devices of the admin's direct users; a DID handed
 * to a reseller only to devices of that reseller or its users. Check order of the page: the device
 * exists, the DID exists, the DID is in the caller's realm, then the device is in the caller's reach
 * and in the DID's realm (else the page's `Your are not authorized to use this Device`).
 */
export async function assignDid(ctx: Ctx, input: AssignDid): Promise<void> {
  requireDidManager(ctx.actor, 2, 1);
  await withTransaction(ctx, async (tx) => {
    const found = await findAnyDevice(tx, { id: input.deviceId }, true);
    if (!found) throw notFound('device', 'Device was not found');
    const { device, owner } = found;
    const did = await didForManager(tx, { number: input.did });
    const realmOk =
      did.resellerId === 0 ? owner.ownerId === 0 : owner.id === did.resellerId || owner.ownerId === did.resellerId;
    if (!found.inReach || !realmOk) throw forbidden('device_realm', 'Your are not authorized to use this Device');
    if (did.status === 'terminated') throw conflict('did_terminated', 'DID is terminated');
    const available = did.status === 'free' || (did.status === 'reserved' && did.userId === device.userId);
    if (!available || did.dialplanId !== 0) throw conflict('did_not_free', 'DID is not free');
    await tx.db
      .update(dids)
      .set({ deviceId: device.id, userId: device.userId, status: 'active' })
      .where(eq(dids.id, did.id));
    await tx.db
      .update(devices)
      .set({ primaryDidId: did.id })
      .where(and(eq(devices.id, device.id), eq(devices.primaryDidId, 0)));
    await logAction(tx, { action: 'did_assigned', targetType: 'did', targetId: did.id, data: String(device.id) });
  });
}
