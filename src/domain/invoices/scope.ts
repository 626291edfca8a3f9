import { type SQL, sql } from 'drizzle-orm';
import type { Account } from '../auth/types.ts';
import { moneyScope } from '../ledger/scope.ts';

/**
 * Invoices (alias `i`) the actor may read: the admin all, an accountant with "See financial data"
 * the admin's realm, a reseller its users' invoices and its own, a simple user its own.
 * `adminOwnRealm`: the admin only its own realm (the XML methods: "every invoice of its own users").
 */
export function readableInvoices(actor: Account, options: { adminOwnRealm?: boolean } = {}): SQL {
  if (actor.usertype === 'admin' && options.adminOwnRealm) return sql`i.owner_id = 0`;
  return moneyScope(actor, { realm: sql`i.owner_id`, userId: sql`i.user_id` });
}
