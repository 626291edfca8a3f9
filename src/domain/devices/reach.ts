import { and, eq, type SQL, sql } from 'drizzle-orm';
import { conflines } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import { type AccountantRight, hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';

/**
 * Reach of the device family (_devices-model §1.5) as a predicate on `users`: admin and accountants
 * every user, a reseller itself and its own users, anyone else only itself. Accountant rights are
 * checked separately (requireRight), so a target outside the reach always reads as "not found".
 */
export function reachableUsers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`true`;
    case 'reseller':
      return sql`(${users.id} = ${actor.id} or ${users.ownerId} = ${actor.id})`;
    default:
      return sql`${users.id} = ${actor.id}`;
  }
}

export const NO_FUNCTIONALITY = 'You are not authorized to use this functionality';

/** Admin, accountant and reseller only; a simple user (or partner) is answered `Access Denied`. */
export function requireManager(actor: Account): void {
  if (!['admin', 'accountant', 'reseller'].includes(actor.usertype)) throw forbidden('role', 'Access Denied');
}

/** An accountant's group must grant `right` at `level` (1 read, 2 write); other roles pass. */
export function requireRight(actor: Account, right: AccountantRight, level: 1 | 2, message = NO_FUNCTIONALITY) {
  if (!hasRight(actor, right, level)) throw forbidden(right, message);
}

/** The Default Device / device-family settings come from the user's owner (0 = admin). */
export const settingsOwner = (user: { usertype: string; ownerId: number }) =>
  user.usertype === 'reseller' ? 0 : user.ownerId;

/**
 * "Hide Device username for Users" (_devices-model §7): on for a simple-user caller whose owner
 * (admin or reseller) turned it on.
 */
export async function hidesUsernames(ctx: Ctx): Promise<boolean> {
  if (ctx.actor.usertype !== 'user') return false;
  const [row] = await ctx.db
    .select({ value: conflines.value })
    .from(conflines)
    .where(and(eq(conflines.ownerId, ctx.actor.ownerId), eq(conflines.name, 'hide_device_username_for_users')));
  return row?.value === '1';
}

/** True when `n` can be an id (callers pass NaN for a non-numeric XML value). */
export const isId = (n: number | undefined | null): n is number => typeof n === 'number' && Number.isSafeInteger(n);
