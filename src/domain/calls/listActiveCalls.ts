import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';
import { readConflines } from '../settings/writeConflines.ts';

export interface ActiveCallFilters {
  did?: string;
  providerId?: number;
  userId?: number;
  deviceId?: number;
  dstUserId?: number;
  dstDeviceId?: number;
  destination?: string;
  destinationGroupId?: number;
  source?: string;
  status?: 'ringing' | 'answered';
  serverId?: number;
  country?: string;
}

export interface ActiveCallRow {
  id: number;
  uniqueid: string;
  status: 'Ringing' | 'Answered';
  answer_time: string;
  duration: string;
  src: string;
  user_id: number;
  user: string;
  src_device_id: number | null;
  device_type: string;
  device_extension: string;
  device_name: string;
  device_istrunk: number;
  device_ani: number;
  localized_dst: string;
  direction_code: string;
  direction_name: string;
  destination_name: string;
  dst_user_id: number | null;
  dst_device_id: number | null;
  provider_id: number | null;
  provider_name: string;
  did: string;
  server_id: number;
  start_time: string;
}

/** A prefix with `%` wildcards as a LIKE pattern (`_` and `\` literal; a trailing `%` implied). */
function like(value: string): string {
  const escaped = value.replace(/[\\_]/g, (c) => `\\${c}`);
  return escaped.endsWith('%') ? escaped : `${escaped}%`;
}

/**
 * active_calls_get: the calls in progress the caller may see — admin every call; accountant (with the
 * Monitorings right) the admin's realm; reseller its own and its users' calls; a simple user its own,
 * only while "Show Active Calls for Users" is on. Provider fields are shown to the admin and
 * accountants (unless Hide provider data), to a reseller only for its own providers. Times in the
 * system zone; `duration` counts from the answer (empty while ringing).
 */
export async function listActiveCalls(ctx: Ctx, f: ActiveCallFilters): Promise<ActiveCallRow[]> {
  const { actor } = ctx;
  let scope: SQL;
  let providers: SQL;
  switch (actor.usertype) {
    case 'admin':
      scope = sql`true`;
      providers = sql`true`;
      break;
    case 'accountant':
      if ((actor.rights.monitorings ?? 0) < 1) throw forbidden('active_calls');
      scope = sql`coalesce(a.reseller_id, 0) = 0`;
      providers = (actor.rights.hide_provider_data ?? 0) >= 1 ? sql`false` : sql`true`;
      break;
    case 'reseller':
    case 'partner':
      scope = sql`(a.user_id = ${actor.id} or a.reseller_id = ${actor.id})`;
      providers = sql`p.owner_id = ${actor.id}`;
      break;
    default: {
      const lines = await readConflines(ctx, 0, ['show_active_calls_for_users']);
      if (lines.show_active_calls_for_users !== '1') throw forbidden('active_calls');
      scope = sql`a.user_id = ${actor.id}`;
      providers = sql`false`;
    }
  }
  for (const [id, key] of [
    [f.userId, 'user'],
    [f.dstUserId, 'dst_user'],
  ] as const) {
    if (id === undefined) continue;
    const [visible] = await queryRows<{ ok: boolean }>(
      ctx.db,
      sql`select exists (select 1 from users u where u.id = ${id}::int and ${
        actor.usertype === 'admin'
          ? sql`true`
          : actor.usertype === 'accountant'
            ? sql`u.owner_id = 0`
            : actor.usertype === 'reseller' || actor.usertype === 'partner'
              ? sql`(u.id = ${actor.id} or u.owner_id = ${actor.id})`
              : sql`u.id = ${actor.id}`
      }) as ok`,
    );
    if (!visible?.ok) throw notFound(key, 'User was not found');
  }
  if (f.serverId !== undefined && !(f.serverId >= 1)) throw invalid('server', 'Server was not found');

  const where: SQL[] = [scope];
  if (f.did !== undefined) where.push(sql`di.did like ${like(f.did)}`);
  if (f.providerId !== undefined) where.push(sql`a.provider_id = ${f.providerId}::int`);
  if (f.userId !== undefined) {
    where.push(sql`a.user_id = ${f.userId}::int`);
    if (f.deviceId !== undefined) where.push(sql`a.src_device_id = ${f.deviceId}::int`);
  }
  if (f.dstUserId !== undefined) {
    where.push(sql`a.dst_user_id = ${f.dstUserId}::int`);
    if (f.dstDeviceId !== undefined) where.push(sql`a.dst_device_id = ${f.dstDeviceId}::int`);
  }
  if (f.destination !== undefined) where.push(sql`a.localized_dst like ${like(f.destination)}`);
  if (f.destinationGroupId !== undefined) where.push(sql`ds.destinationgroup_id = ${f.destinationGroupId}::int`);
  if (f.source !== undefined) where.push(sql`a.src like ${like(f.source)}`);
  if (f.status === 'ringing') where.push(sql`a.answer_time is null`);
  if (f.status === 'answered') where.push(sql`a.answer_time is not null`);
  if (f.serverId !== undefined) where.push(sql`a.server_id = ${f.serverId}::int`);
  if (f.country !== undefined) where.push(sql`lower(dir.name) = lower(${f.country})`);

  const zone = await systemZone(ctx.db);
  const now = ctx.clock().toISOString();
  const time = (c: string) =>
    sql.raw(`coalesce(to_char(${c} at time zone '${zone.replace(/'/g, "''")}', 'YYYY-MM-DD HH24:MI:SS'), '')`);
  return queryRows<ActiveCallRow>(
    ctx.db,
    sql`select a.id, a.uniqueid, case when a.answer_time is null then 'Ringing' else 'Answered' end as status,
        ${time('a.answer_time')} as answer_time,
        case when a.answer_time is null then ''
          else greatest(0, floor(extract(epoch from (${now}::timestamptz - a.answer_time))))::int::text end as duration,
        a.src, a.user_id, coalesce(${niceUserSql('u', 'ua')}, '') as "user", a.src_device_id,
        coalesce(d.device_type, '') as device_type, coalesce(d.extension, '') as device_extension,
        coalesce(d.name, '') as device_name, coalesce(d.istrunk, 0) as device_istrunk, coalesce(d.ani, 0) as device_ani,
        a.localized_dst, coalesce(ds.direction_code, '') as direction_code, coalesce(dir.name, '') as direction_name,
        coalesce(ds.name, '') as destination_name, a.dst_user_id, a.dst_device_id,
        case when ${providers} then a.provider_id end as provider_id,
        case when ${providers} then coalesce(p.name, '') else '' end as provider_name,
        coalesce(di.did, '') as did, a.server_id, ${time('a.start_time')} as start_time
      from active_calls a
      left join users u on u.id = a.user_id
      left join addresses ua on ua.id = u.address_id
      left join devices d on d.id = a.src_device_id
      left join providers p on p.id = a.provider_id
      left join dids di on di.id = a.did_id
      left join lateral (
        select x.name, x.direction_code, x.destinationgroup_id from destinations x
        where x.prefix = any(array(select left(a.localized_dst, n) from generate_series(1, least(length(a.localized_dst), 20)) n))
        order by length(x.prefix) desc limit 1) ds on true
      left join directions dir on dir.code = ds.direction_code
      where ${sql.join(where, sql` and `)}
      order by a.start_time, a.id`,
  );
}
