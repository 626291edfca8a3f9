import { and, eq, ne, or, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { calls } from '../../db/partitioned/calls.ts';
import { callerids } from '../../db/schema/clis.ts';
import { callflows, deviceRules, devices, locationRules, queueMembers } from '../../db/schema/devices.ts';
import { dialplans, dids } from '../../db/schema/dids.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { findDevice } from './findDevice.ts';
import { requireManager, requireRight } from './reach.ts';

export const DeleteDevice = v.object({ deviceId: RowId });
export type DeleteDevice = v.InferOutput<typeof DeleteDevice>;

/**
 * device_delete: refuses while something still uses the device (first blocker wins), else deletes it
 * with its CLIs and call flow and frees the DIDs assigned to it (dial-plan DIDs stay as they are).
 */
export async function deleteDevice(ctx: Ctx, input: DeleteDevice): Promise<void> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2);
  await withTransaction(ctx, async (tx) => {
    const { device } = await findDevice(tx, { id: input.deviceId }, true);
    const id = device.id;
    const used = async (query: Promise<unknown[]>) => (await query).length > 0;
    const flows = (action: string, extra = sql`true`) =>
      tx.db
        .select({ id: callflows.id })
        .from(callflows)
        .where(and(eq(callflows.action, action), eq(callflows.data, String(id)), ne(callflows.deviceId, id), extra))
        .limit(1);
    if (await used(flows('fax_detect'))) {
      throw conflict('fax_detect', 'Unable to delete this device - it is used in Call Flow for Fax Detect');
    }
    const forwardedByDevice = tx.db
      .select({ id: devices.id })
      .from(devices)
      .where(and(eq(devices.forwardTo, id), ne(devices.id, id)))
      .limit(1);
    if ((await used(flows('forward', eq(callflows.data2, 'local')))) || (await used(forwardedByDevice))) {
      throw conflict('forwarded', 'Device has forwarded calls - we cannot delete it');
    }
    if (await hasCalls(tx, id)) {
      throw conflict(
        'calls',
        "Cannot delete device - it has calls. You can only hide device's user. Why is that and how to do that - please read in manual.",
      );
    }
    if (await used(tx.db.select({ id: dialplans.id }).from(dialplans).where(eq(dialplans.deviceId, id)).limit(1))) {
      throw conflict('dialplans', 'Device has Dial Plans - we cannot delete it');
    }
    const rules = tx.db.select({ id: locationRules.id }).from(locationRules).where(eq(locationRules.deviceId, id));
    if (await used(rules.limit(1)))
      throw conflict('location_rules', 'One or more Location rules are using this Device');
    const queues = tx.db.select({ id: queueMembers.id }).from(queueMembers).where(eq(queueMembers.deviceId, id));
    if (await used(queues.limit(1))) throw conflict('queue', 'Cannot delete device - it is assigned to Queue');

    await tx.db.delete(callerids).where(eq(callerids.deviceId, id));
    await tx.db.delete(callflows).where(eq(callflows.deviceId, id));
    await tx.db.delete(deviceRules).where(eq(deviceRules.deviceId, id));
    await tx.db
      .update(dids)
      .set({ deviceId: 0, userId: 0, status: 'free' })
      .where(and(eq(dids.deviceId, id), eq(dids.dialplanId, 0)));
    await tx.db.update(dids).set({ deviceId: 0 }).where(eq(dids.deviceId, id));
    await tx.db.update(users).set({ primaryDeviceId: null }).where(eq(users.primaryDeviceId, id));
    await tx.db.delete(devices).where(eq(devices.id, id));
    await logAction(tx, { action: 'device_deleted', targetType: 'device', targetId: id, data: device.username });
  });
}

/** Whether any CDR names the device as caller or callee (both columns are indexed per partition). */
async function hasCalls(ctx: Ctx, deviceId: number): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: calls.id })
    .from(calls)
    .where(or(eq(calls.srcDeviceId, deviceId), eq(calls.dstDeviceId, deviceId)))
    .limit(1);
  return rows.length > 0;
}
