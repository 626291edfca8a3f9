import { type SQL, sql } from 'drizzle-orm';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/**
 * Accounts (and so movements) the actor may read, as a predicate over a realm and a user id column:
 * the admin all; an accountant with "See financial data" the admin's realm but the admin itself; a
 * reseller its users (realm = itself) and its own account; a simple user its own.
 */
export function moneyScope(actor: Account, cols: { realm: SQL; userId: SQL }): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      if (!hasRight(actor, 'see_financial_data', 1)) throw forbidden('see_financial_data');
      return sql`(${cols.realm} = 0 and coalesce(${cols.userId}, -1) <> 0)`;
    case 'reseller':
      return sql`(${cols.realm} = ${actor.id}::int or ${cols.userId} = ${actor.id}::int)`;
    default:
      return sql`${cols.userId} = ${actor.id}::int`;
  }
}

/** Ledger rows (alias `l`) the actor may read. */
export const readableMovements = (actor: Account): SQL =>
  moneyScope(actor, { realm: sql`l.realm_id`, userId: sql`l.user_id` });
