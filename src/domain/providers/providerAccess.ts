import { and, eq, type SQL, sql } from 'drizzle-orm';
import { providers } from '../../db/schema/dids.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';

export const ACCESS_DENIED = 'Access Denied';
export const PROVIDER_NOT_FOUND = 'Provider was not found';

/**
 * Who reads providers: the admin, an accountant with Manage providers (read), a reseller (its own
 * providers only). Simple users and anyone else → `Access Denied`.
 */
export function requireProviderReader(actor: Account): void {
  const ok =
    actor.usertype === 'admin' ||
    actor.usertype === 'reseller' ||
    (actor.usertype === 'accountant' && hasRight(actor, 'manage_provider', 1));
  if (!ok) throw forbidden('role', ACCESS_DENIED);
}

/** Provider changes (create, update, delete) are the admin's only. */
export function requireProviderWriter(actor: Account): void {
  if (actor.usertype !== 'admin') throw forbidden('role', ACCESS_DENIED);
}

/** The owner whose providers the actor works with: 0 (the admin's) or the reseller itself. */
export const providerOwner = (actor: Account): number => (actor.usertype === 'reseller' ? actor.id : 0);

/** Providers within the actor's reach as a predicate. */
export const reachableProviders = (actor: Account): SQL => sql`${providers.ownerId} = ${providerOwner(actor)}`;

/** A provider within reach, locked when `forUpdate`; else `Provider was not found` (never reveals others'). */
export async function providerInReach(ctx: Ctx, providerId: number | undefined, forUpdate = false) {
  if (!isId(providerId)) throw notFound('provider', PROVIDER_NOT_FOUND);
  const query = ctx.db
    .select()
    .from(providers)
    .where(and(eq(providers.id, providerId), reachableProviders(ctx.actor)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('provider', PROVIDER_NOT_FOUND);
  return row;
}
