import { and, eq, type SQL } from 'drizzle-orm';
import { callerids } from '../../db/schema/clis.ts';
import { devices } from '../../db/schema/devices.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { reachableUsers } from '../devices/reach.ts';

/** The CLI matching `where` whose device belongs to a user within the caller's reach, or undefined. */
export async function findCli(ctx: Ctx, where: SQL) {
  const [row] = await ctx.db
    .select({ id: callerids.id, cli: callerids.cli, deviceId: devices.id, userId: devices.userId })
    .from(callerids)
    .innerJoin(devices, eq(devices.id, callerids.deviceId))
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(where, reachableUsers(ctx.actor)))
    .limit(1);
  return row;
}
