import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { MIN_SECRET } from '../devices/deviceRules.ts';
import { niceDevice, niceUserSql } from '../devices/nice.ts';
import { requireRight } from '../devices/reach.ts';
import { forbidden } from '../errors.ts';

export interface IntegrityDevice {
  deviceId: number;
  device: string;
  userId: number;
  user: string;
  /** The device user's owner; null (empty in MOR's list) = the admin. */
  ownerId: number | null;
  owner: string;
}

interface Row {
  id: number;
  device_type: string;
  name: string;
  username: string;
  extension: string;
  user_id: number;
  user_nice: string | null;
  owner_id: number | null;
  owner_nice: string | null;
}

/**
 * Integrity Check, device rows (_devices-model §8): devices with a weak password (a username/password
 * device whose secret is shorter than 8 characters or equals its username) and insecure devices
 * (dynamic host with insecure port and/or invite), each with its user and the user's owner.
 * Admin, and accountants with the Devices right.
 */
export async function integrityDevices(ctx: Ctx) {
  if (ctx.actor.usertype !== 'admin' && ctx.actor.usertype !== 'accountant') throw forbidden('integrity', 'Admin only');
  requireRight(ctx.actor, 'devices_manage', 1);
  const list = async (condition: ReturnType<typeof sql>) =>
    (
      await queryRows<Row>(
        ctx.db,
        sql`select d.id, d.device_type, d.name, d.username, d.extension, d.user_id,
              ${niceUserSql('u', 'ua')} as user_nice,
              case when u.owner_id = 0 then null else u.owner_id end as owner_id, ${niceUserSql('o', 'oa')} as owner_nice
            from devices d
            left join users u on u.id = d.user_id left join addresses ua on ua.id = u.address_id
            left join users o on o.id = u.owner_id and u.owner_id <> 0 left join addresses oa on oa.id = o.address_id
            where ${condition}
            order by d.id`,
      )
    ).map(
      (r): IntegrityDevice => ({
        deviceId: Number(r.id),
        device: niceDevice({ deviceType: r.device_type, name: r.name, username: r.username, extension: r.extension }),
        userId: Number(r.user_id),
        user: r.user_nice ?? '',
        ownerId: r.owner_id === null ? null : Number(r.owner_id),
        owner: r.owner_id === null ? '' : (r.owner_nice ?? ''),
      }),
    );
  return {
    weakPasswords: await list(
      sql`d.host = 'dynamic' and d.username <> '' and (length(d.secret) < ${MIN_SECRET} or d.secret = d.username)`,
    ),
    insecure: await list(sql`d.host = 'dynamic' and (d.insecure like '%port%' or d.insecure like '%invite%')`),
  };
}
