import { and, eq } from 'drizzle-orm';
import { numberPools } from '../../db/schema/pools.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';

export const ACCESS_DENIED = 'Access Denied';
export const POOL_NOT_FOUND = 'Number Pool was not found';

/**
 * Who works with number pools: the admin, a reseller (its own pools), an accountant whose group has
 * Devices or Manage providers (read to list, write to change: the admin's pools). Anyone else → `Access Denied`.
 */
export function requirePoolAccess(actor: Account, level: 1 | 2): void {
  const ok =
    actor.usertype === 'admin' ||
    actor.usertype === 'reseller' ||
    (actor.usertype === 'accountant' &&
      (hasRight(actor, 'devices_manage', level) || hasRight(actor, 'manage_provider', level)));
  if (!ok) throw forbidden('role', ACCESS_DENIED);
}

/** The owner whose pools the actor works with: 0 (the admin's) or the reseller itself. */
export const poolOwner = (actor: Account): number => (actor.usertype === 'reseller' ? actor.id : 0);

/** A pool of the actor's realm, locked when `forUpdate`; else `Number Pool was not found` (never reveals others'). */
export async function poolInReach(ctx: Ctx, poolId: number | undefined, forUpdate = false) {
  if (!isId(poolId)) throw notFound('number_pool', POOL_NOT_FOUND);
  const query = ctx.db
    .select()
    .from(numberPools)
    .where(and(eq(numberPools.id, poolId), eq(numberPools.ownerId, poolOwner(ctx.actor))));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('number_pool', POOL_NOT_FOUND);
  return row;
}

/** A number as documented: `0-9 a-z A-Z # %`, a leading `+` accepted. */
const NUMBER = /^\+?[0-9a-zA-Z#%]+$/;

/**
 * Splits a comma-separated list (blanks trimmed, empty elements dropped) into stored form (`#` → `_`),
 * duplicates removed; null when an element has a character outside the syntax or nothing is left.
 */
export function parseNumbers(list: string | undefined): string[] | null {
  const items = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0 || items.some((s) => !NUMBER.test(s) || s.length > 100)) return null;
  return [...new Set(items.map((s) => s.replaceAll('#', '_')))];
}
