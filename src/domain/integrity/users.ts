import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';

/** A user an Integrity Check entry points at, with its owner (admin 0 or a reseller). */
export interface IntegrityUser {
  id: number;
  username: string;
  usertype: string;
  ownerId: number;
  ownerUsername: string;
}

/** The user-related Integrity Check entries (_finance-model §12). */
export interface UsersIntegrity {
  /** "Users with weak password": the flag recorded when each password was set (domain/users/password.ts). */
  weakPasswords: IntegrityUser[];
  /** "Users that are set to Postpaid and allowed to make Loss Calls". */
  postpaidLossCalls: IntegrityUser[];
  /** "Default user is set to postpaid and allowed loss calls": owners (admin 0, resellers) of such templates. */
  defaultUsers: { ownerId: number; ownerUsername: string }[];
}

const userList = (where: ReturnType<typeof sql>) => sql`select u.id, u.username, u.usertype, u.owner_id as "ownerId",
    coalesce(o.username, '') as "ownerUsername"
  from users u left join users o on o.id = u.owner_id
  where ${where} order by u.id`;

/** SETTINGS → Setup → Integrity Check, user entries. Admin only; advisory, never blocks anything. */
export async function usersIntegrity(ctx: Ctx): Promise<UsersIntegrity> {
  if (ctx.actor.usertype !== 'admin') throw forbidden('integrity');
  const [weakPasswords, postpaidLossCalls, defaultUsers] = await Promise.all([
    queryRows<IntegrityUser>(ctx.db, userList(sql`u.password_weak`)),
    queryRows<IntegrityUser>(ctx.db, userList(sql`u.postpaid and u.allow_loss_calls`)),
    queryRows<{ ownerId: number; ownerUsername: string }>(
      ctx.db,
      sql`select c.owner_id as "ownerId", coalesce(o.username, '') as "ownerUsername"
        from conflines c left join users o on o.id = c.owner_id
        where c.name in ('default_user_postpaid', 'default_user_allow_loss_calls') and c.value = '1'
        group by c.owner_id, o.username having count(*) = 2 order by c.owner_id`,
    ),
  ]);
  return { weakPasswords, postpaidLossCalls, defaultUsers };
}
