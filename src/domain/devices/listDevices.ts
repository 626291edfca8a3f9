import { and, asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../db/schema/devices.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { isId, reachableUsers, requireManager, requireRight } from './reach.ts';

export const ListDevices = v.object({
  userId: v.optional(UserId),
  /** false leaves out Block-and-Hide devices (default true). */
  showHidden: v.optional(v.boolean()),
});
export type ListDevices = v.InferOutput<typeof ListDevices>;

/** devices_get: the devices of one user within reach, by id. */
export async function listDevices(ctx: Ctx, input: ListDevices) {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 1);
  if (input.userId === undefined) throw invalid('user_id', 'user_id is empty');
  const [user] = await ctx.db
    .select({ id: users.id, primaryDeviceId: users.primaryDeviceId })
    .from(users)
    .where(and(eq(users.id, isId(input.userId) ? input.userId : -1), reachableUsers(ctx.actor)));
  if (!user) throw notFound('user', 'User was not found');
  const rows = await ctx.db
    .select({
      id: devices.id,
      deviceType: devices.deviceType,
      devicegroupId: devices.devicegroupId,
      username: devices.username,
      secret: devices.secret,
      host: devices.host,
      ipaddr: devices.ipaddr,
      port: devices.port,
      callerid: devices.callerid,
      hidden: devices.hidden,
    })
    .from(devices)
    .where(and(eq(devices.userId, user.id), input.showHidden === false ? eq(devices.hidden, 0) : undefined))
    .orderBy(asc(devices.id));
  if (rows.length === 0) throw notFound('devices', 'Devices were not found');
  return rows.map((row) => ({ ...row, primary: row.id === user.primaryDeviceId, hidden: row.hidden === 1 }));
}
