import { eq, sql } from 'drizzle-orm';
import { devices } from '../../db/schema/devices.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { isId, reachableUsers } from './reach.ts';

export type Device = typeof devices.$inferSelect;
export interface DeviceOwner {
  id: number;
  username: string;
  usertype: string;
  ownerId: number;
}

/**
 * The device with `id` (or `username`) when its user is within the caller's reach; otherwise
 * NOT_FOUND `Device was not found`, the same answer as for a missing device. `lock` takes a row lock.
 */
export async function findDevice(
  ctx: Ctx,
  by: { id?: number | null; username?: string },
  lock = false,
): Promise<{ device: Device; owner: DeviceOwner }> {
  const found = await findAnyDevice(ctx, by, lock);
  if (!found?.inReach) throw notFound('device', 'Device was not found');
  return found;
}

/**
 * The device with `id` (or `username`) whoever owns it, with `inReach` telling whether its user is
 * within the caller's reach: for methods whose page documents a distinct answer for a device of
 * another realm (did_device_assign). Undefined when there is no such device.
 */
export async function findAnyDevice(
  ctx: Ctx,
  by: { id?: number | null; username?: string },
  lock = false,
): Promise<{ device: Device; owner: DeviceOwner; inReach: boolean } | undefined> {
  const where =
    by.id !== undefined && by.id !== null
      ? isId(by.id)
        ? eq(devices.id, by.id)
        : sql`false`
      : by.username
        ? eq(devices.username, by.username)
        : sql`false`;
  const query = ctx.db
    .select({
      device: devices,
      owner: { id: users.id, username: users.username, usertype: users.usertype, ownerId: users.ownerId },
      inReach: sql<boolean>`${reachableUsers(ctx.actor)}`.mapWith(Boolean),
    })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(where);
  const [row] = lock ? await query.for('update', { of: devices }) : await query;
  return row;
}
