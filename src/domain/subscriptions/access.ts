import { type SQL, sql } from 'drizzle-orm';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** subscription_create / update / delete: a caller without Manage Subscriptions (the pages' spelling). */
export const NOT_AUTHORISED = 'You are not authorised to use this functionality';
/** subscriptions_get: an accountant without Manage Subscriptions. */
export const NOT_AUTHORIZED_SUBSCRIPTIONS = 'You are not authorized to manage Subscriptions';

/**
 * Subscriptions are managed by the admin, resellers (their users') and accountants whose group grants
 * "Manage Subscriptions" (`subscriptions_manage`: 1 read, 2 write); a simple user reads its own.
 * Refusals: `message` for such an accountant, `Access Denied` for anyone else (FORBIDDEN).
 */
export function requireSubscriptions(actor: Account, level: 1 | 2, message: string): void {
  switch (actor.usertype) {
    case 'admin':
    case 'reseller':
      return;
    case 'accountant':
      if ((actor.rights.subscriptions_manage ?? 0) < level) throw forbidden('subscriptions', message);
      return;
    case 'user':
      if (level === 1) return;
      throw forbidden('subscriptions', 'Access Denied');
    default:
      throw forbidden('subscriptions', 'Access Denied');
  }
}

/**
 * Subscribers whose subscriptions the actor changes, over a `users` alias `u`: the admin any, an
 * accountant the admin's realm (never the admin), a reseller its own users.
 */
export function managedSubscribers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`(u.owner_id = 0 and u.id <> 0)`;
    case 'reseller':
      return sql`u.owner_id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/** Subscribers whose subscriptions the actor reads: as managedSubscribers, plus a reseller's and a user's own. */
export function readableSubscribers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'reseller':
      return sql`(u.owner_id = ${actor.id}::int or u.id = ${actor.id}::int)`;
    case 'user':
      return sql`u.id = ${actor.id}::int`;
    default:
      return managedSubscribers(actor);
  }
}
