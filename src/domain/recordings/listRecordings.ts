import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { callPeriod } from '../calls/period.ts';
import type { Ctx } from '../ctx.ts';
import { actorZone } from '../users/actorZone.ts';
import { reachableRecordings, requireRecordingsAccess } from './access.ts';

export interface ListRecordings {
  /** ISO instants; an absent bound is today's in the caller's time zone. */
  from?: string;
  till?: string;
  destination?: string;
  source?: string;
  userId?: number;
  deviceId?: number;
  /** Only this call's recordings; every other filter is ignored. */
  uniqueid?: string;
  /** Same, by the callback uniqueid. */
  callbackUniqueid?: string;
}

export interface RecordingView {
  id: number;
  userId: number;
  dstUserId: number;
  srcDeviceId: number;
  dstDeviceId: number;
  /** `YYYY-MM-DD HH:MM:SS` in the caller's time zone. */
  date: string;
  comment: string;
  duration: number;
  destination: string;
  size: number;
  objectKey: string;
}

/**
 * recordings_get: recordings in reach (admin all, accountant the admin's users', reseller its own and
 * its users', a user its own — its `userId` is forced to itself), oldest first. A user or device out of
 * reach simply matches nothing. Exact matches on source and destination.
 */
export async function listRecordings(ctx: Ctx, input: ListRecordings = {}): Promise<RecordingView[]> {
  requireRecordingsAccess(ctx.actor);
  const zone = await actorZone(ctx);
  const userId = ctx.actor.usertype === 'user' ? ctx.actor.id : input.userId;
  const byCall = input.uniqueid ?? input.callbackUniqueid;
  const filter = byCall
    ? input.uniqueid
      ? sql`r.uniqueid = ${input.uniqueid}::text`
      : sql`r.callback_uniqueid = ${byCall}::text`
    : await (async () => {
        const period = await callPeriod(ctx.db, zone, ctx.clock(), input.from, input.till);
        return sql`r.date between ${period.from}::timestamptz and ${period.till}::timestamptz
          and (${input.destination ?? null}::text is null or r.destination = ${input.destination ?? null}::text)
          and (${input.source ?? null}::text is null or r.source = ${input.source ?? null}::text)
          and (${userId ?? null}::int is null or r.user_id = ${userId ?? null}::int)
          and (${input.deviceId ?? null}::int is null or r.src_device_id = ${input.deviceId ?? null}::int
            or r.dst_device_id = ${input.deviceId ?? null}::int)`;
      })();
  const own = ctx.actor.usertype === 'user' ? sql`r.user_id = ${ctx.actor.id}::int` : sql`true`;
  return queryRows<RecordingView>(
    ctx.db,
    sql`select r.id, r.user_id as "userId", r.dst_user_id as "dstUserId", r.src_device_id as "srcDeviceId",
          r.dst_device_id as "dstDeviceId", to_char(r.date at time zone ${zone}::text, 'YYYY-MM-DD HH24:MI:SS') as date,
          r.comment, r.duration, r.destination, r.size::int as size, r.object_key as "objectKey"
        from recordings r
        where ${filter} and ${own} and ${reachableRecordings(ctx.actor)}
        order by r.date, r.id`,
  );
}
