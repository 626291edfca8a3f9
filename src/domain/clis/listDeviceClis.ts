import { and, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { findDevice } from '../devices/findDevice.ts';
import { niceDevice } from '../devices/nice.ts';
import { isId, reachableUsers, requireManager, requireRight } from '../devices/reach.ts';
import { notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';

export const ListDeviceClis = v.object({ userId: v.optional(UserId), deviceId: v.optional(RowId) });
export type ListDeviceClis = v.InferOutput<typeof ListDeviceClis>;

interface Row {
  id: number;
  cli: string;
  device_type: string;
  name: string;
  username: string;
  extension: string;
  description: string;
  added_at: string;
  updated_at: string;
  comment: string;
  email_callback: number;
  banned: number;
}

/** device_clis_get: CLIs of one device, of one user's devices, or of every device within reach. */
export async function listDeviceClis(ctx: Ctx, input: ListDeviceClis) {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 1);
  if (input.userId !== undefined) {
    const found = isId(input.userId)
      ? await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.id, input.userId), reachableUsers(ctx.actor)))
      : [];
    if (found.length === 0) throw notFound('user', 'User was not found');
  }
  let deviceId: number | undefined;
  if (input.deviceId !== undefined) {
    const { device } = await findDevice(ctx, { id: input.deviceId });
    if (input.userId !== undefined && device.userId !== input.userId) throw notFound('device', 'Device was not found');
    deviceId = device.id;
  }
  const time = (column: string) =>
    sql.raw(`to_char(c.${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' +0000'`);
  const rows = await queryRows<Row>(
    ctx.db,
    sql`select c.id, c.cli, d.device_type, d.name, d.username, d.extension, c.description,
          ${time('added_at')} as added_at, ${time('updated_at')} as updated_at, c.comment, c.email_callback, c.banned
        from callerids c join devices d on d.id = c.device_id join users on users.id = d.user_id
        where ${reachableUsers(ctx.actor)}
          ${deviceId !== undefined ? sql`and d.id = ${deviceId}` : sql``}
          ${input.userId !== undefined ? sql`and d.user_id = ${input.userId}` : sql``}
        order by d.id, c.id`,
  );
  if (rows.length === 0) throw notFound('clis', 'CLIs were not found');
  return rows.map((r) => ({
    id: r.id,
    cli: r.cli,
    device: niceDevice({ deviceType: r.device_type, name: r.name, username: r.username, extension: r.extension }),
    description: r.description,
    addedAt: r.added_at,
    updatedAt: r.updated_at,
    comment: r.comment,
    emailCallback: Number(r.email_callback),
    banned: Number(r.banned),
  }));
}
