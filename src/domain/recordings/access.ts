import { type SQL, sql } from 'drizzle-orm';
import { hasRight, visibleUsers } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { disabled, forbidden } from '../errors.ts';
import type { ObjectStore } from './objectStore.ts';

export const ACCESS_DENIED = 'Access Denied';

/**
 * Who reads and deletes recordings: the admin (all), an accountant with Calls and statistics (the
 * admin's users'), a reseller (its own and its users'), a simple user (its own).
 */
export function requireRecordingsAccess(actor: Account): void {
  const ok =
    ['admin', 'reseller', 'user'].includes(actor.usertype) ||
    (actor.usertype === 'accountant' && hasRight(actor, 'calls_stats', 1));
  if (!ok) throw forbidden('role', ACCESS_DENIED);
}

/** Recordings (alias `r`) whose user is in the actor's reach, as a predicate. */
export function reachableRecordings(actor: Account): SQL {
  if (actor.usertype === 'admin') return sql`true`;
  return sql`exists (select 1 from users where users.id = r.user_id and ${visibleUsers(actor)})`;
}

/** The object store of this runtime; an operation that needs audio fails plainly without one. */
export function storeOf(ctx: Ctx): ObjectStore {
  if (!ctx.objects) throw disabled('object_store', 'Recordings storage is not configured');
  return ctx.objects;
}
