import { type SQL, sql } from 'drizzle-orm';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/**
 * Payments are handled by the admin, by resellers (their users' payments are their income) and by
 * accountants whose group grants "Payments" (`payments_manage`: 1 read, 2 write). A simple user only
 * reads its own payments; partners have no payments here. Refusals are FORBIDDEN `payments`.
 */
export function requirePayments(actor: Account, level: 1 | 2): void {
  switch (actor.usertype) {
    case 'admin':
    case 'reseller':
      return;
    case 'accountant':
      if ((actor.rights.payments_manage ?? 0) < level) throw forbidden('payments', 'Access Denied');
      return;
    case 'user':
      if (level === 1) return;
      throw forbidden('payments', 'Access Denied');
    default:
      throw forbidden('payments', 'Access Denied');
  }
}

/**
 * Users a payment may be made for, over a `users` alias `u`: the admin and its accountants pay into the
 * admin's realm (owner 0: its users and resellers), never the admin itself or the acting accountant; a
 * reseller only into its own users' balances. Anyone else: nothing.
 */
export function payableUsers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`(u.owner_id = 0 and u.id <> 0 and u.id <> ${actor.id}::int)`;
    case 'reseller':
      return sql`u.owner_id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/**
 * Payments the actor may read, over a `payments` alias `p`: the admin and its accountants the admin's
 * realm (its users', its resellers' own and its cards' payments); a reseller its realm plus its own
 * payments to the admin; a simple user its own.
 */
export function readablePayments(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`p.owner_id = 0`;
    case 'reseller':
      return sql`(p.owner_id = ${actor.id}::int or p.user_id = ${actor.id}::int)`;
    case 'user':
      return sql`p.user_id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/** Users whose payments the actor may ask for by id (payments_get `s_user_id`), over `users` alias `u`. */
export function payingUsers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`u.owner_id = 0`;
    case 'reseller':
      return sql`(u.owner_id = ${actor.id}::int or u.id = ${actor.id}::int)`;
    case 'user':
      return sql`u.id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/**
 * Payments the actor may act on (confirm), over `payments` alias `p`: its realm's only — the admin and
 * its accountants the admin's, a reseller its users' (never its own payment to the admin).
 */
export function managedPayments(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`p.owner_id = 0`;
    case 'reseller':
      return sql`p.owner_id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}
