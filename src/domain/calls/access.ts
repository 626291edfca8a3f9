import { type SQL, sql } from 'drizzle-orm';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/**
 * Who reads call history and statistics: the admin, resellers, simple users, and accountants whose
 * group grants "Calls and statistics" (`calls_stats`). Partners have no calls here. Refusals are
 * FORBIDDEN `calls` (MOR: Access Denied).
 */
export function requireCallsReader(actor: Account): void {
  if (actor.usertype === 'admin' || actor.usertype === 'reseller' || actor.usertype === 'user') return;
  if (actor.usertype === 'accountant' && hasRight(actor, 'calls_stats')) return;
  throw forbidden('calls', 'Access Denied');
}

/**
 * Calls the actor may read, over a `calls` alias `c`: the admin every call; an accountant the admin's
 * realm (calls of users owned by the admin, resellers' own calls included, never the admin's); a
 * reseller its own calls and its users'; a simple user its own.
 */
export function readableCalls(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`(c.reseller_id is null and c.user_id <> 0)`;
    case 'reseller':
      return sql`(c.reseller_id = ${actor.id}::int or c.user_id = ${actor.id}::int)`;
    case 'user':
      return sql`c.user_id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/** Users whose calls the actor may ask for by id, over `users` alias `u` (same realms as readableCalls). */
export function callUsers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`(u.owner_id = 0 and u.id <> 0)`;
    case 'reseller':
      return sql`(u.owner_id = ${actor.id}::int or u.id = ${actor.id}::int)`;
    case 'user':
      return sql`u.id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/**
 * Which money columns a reader sees (user_calls_get rule 5): `full` — the admin and accountants with
 * "See financial data" (every price and the admin's profit); `reseller` — user and reseller prices,
 * provider data with own providers; `user` — its own price; `none` — accountants without financial data.
 */
export type MoneyView = 'full' | 'reseller' | 'user' | 'none';

export function moneyView(actor: Account): MoneyView {
  switch (actor.usertype) {
    case 'admin':
      return 'full';
    case 'accountant':
      return hasRight(actor, 'see_financial_data') ? 'full' : 'none';
    case 'reseller':
      return 'reseller';
    default:
      return 'user';
  }
}
