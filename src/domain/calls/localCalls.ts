import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { notFound } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';
import { callUsers, requireCallsReader } from './access.ts';
import { callPeriod, gmtOffset, ZoneClock } from './period.ts';

export interface LocalCall {
  calldate: string;
  timezone: string;
  originatorDevice: string;
  originatorCallerId: string;
  originatorIp: string;
  originatorChannel: string;
  terminatorUser: string;
  terminatorDevice: string;
  terminatorIp: string;
}

/** A device as local_calls_get names it: its description, else `TYPE/name`. */
const deviceName = (d: string) =>
  sql.raw(
    `coalesce(nullif(${d}.description, ''), ${d}.device_type || '/' || coalesce(nullif(${d}.name, ''), nullif(${d}.extension, ''), ${d}.username), '')`,
  );

/**
 * local_calls_get: local (device-to-device) calls of the period whose originator or terminator is
 * `userId` (a simple user: always itself), oldest first, dates in the system time zone. A user
 * outside the caller's reach, or none: NOT_FOUND `user` (User was not found).
 */
export async function listLocalCalls(
  ctx: Ctx,
  input: { userId?: number; from?: string; till?: string },
): Promise<LocalCall[]> {
  const { actor } = ctx;
  requireCallsReader(actor);
  const userId = actor.usertype === 'user' ? actor.id : input.userId;
  if (userId === undefined) throw notFound('user', 'User was not found');
  const [found] = await queryRows<{ id: number }>(
    ctx.db,
    sql`select u.id from users u where u.id = ${userId}::int and ${callUsers(actor)}`,
  );
  if (!found) throw notFound('user', 'User was not found');
  const zone = await systemZone(ctx.db);
  const period = await callPeriod(ctx.db, zone, ctx.clock(), input.from, input.till);
  const rows = await queryRows<Omit<LocalCall, 'calldate' | 'timezone'> & { ms: number }>(
    ctx.db,
    sql`select (extract(epoch from c.calldate) * 1000)::float8 as ms,
        ${deviceName('sd')} as "originatorDevice", c.src as "originatorCallerId",
        coalesce(c.originator_ip, '') as "originatorIp", c.originator_channel as "originatorChannel",
        coalesce(${niceUserSql('tu', 'ta')}, '') as "terminatorUser", ${deviceName('td')} as "terminatorDevice",
        coalesce(c.terminator_ip, '') as "terminatorIp"
      from calls c
        left join devices sd on sd.id = c.src_device_id
        left join devices td on td.id = c.dst_device_id
        left join users tu on tu.id = coalesce(c.dst_user_id, td.user_id)
        left join addresses ta on ta.id = tu.address_id
      where c.call_type = 'local'
        and c.calldate >= ${period.from}::timestamptz and c.calldate <= ${period.till}::timestamptz
        and (c.user_id = ${userId}::int or c.dst_user_id = ${userId}::int)
      order by c.calldate, c.id`,
  );
  const clock = new ZoneClock(zone);
  return rows.map(({ ms, ...row }) => ({ calldate: clock.local(ms), timezone: gmtOffset(clock.offset(ms)), ...row }));
}
