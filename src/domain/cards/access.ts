import { type SQL, sql } from 'drizzle-orm';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** The X7 calling-card pages' string for a manager without the Calling Cards permission. */
export const NO_CARDS_RIGHT = 'You are not authorized to use this functionality';

/** Owner id of what an account creates and manages: accountants act for the admin (owner 0). */
export const realmOf = (actor: Account): number =>
  actor.usertype === 'admin' || actor.usertype === 'accountant' ? 0 : actor.id;

/**
 * Calling cards are managed by the admin, by accountants whose group grants "Calling Card manage"
 * (1 read, 2 write) and by resellers whose reseller group has the Calling Cards flag. Simple users
 * (and partners) are refused as `role` (Access Denied), managers without the right as `calling_cards`.
 * `financial`: the accountant must also see financial data (card groups carry prices).
 */
export function requireCards(actor: Account, level: 1 | 2, options: { financial?: boolean } = {}): void {
  switch (actor.usertype) {
    case 'admin':
      return;
    case 'accountant':
      if ((actor.rights.calling_cards_manage ?? 0) < level) throw forbidden('calling_cards', NO_CARDS_RIGHT);
      if (options.financial && (actor.rights.see_financial_data ?? 0) < 1) {
        throw forbidden('calling_cards', NO_CARDS_RIGHT);
      }
      return;
    case 'reseller':
      // Reseller group flags are 0/1: the flag covers reading and managing.
      if ((actor.rights.calling_cards ?? 0) < 1) throw forbidden('calling_cards', NO_CARDS_RIGHT);
      return;
    default:
      throw forbidden('role', 'Access Denied');
  }
}

/**
 * Which owners' card groups and cards the actor reaches, as a predicate on an `owner_id` column:
 * the admin every realm (`adminAll`) or only its own (the older methods speak of admin's groups),
 * everyone else its realm. Other realms' rows read as "not found".
 */
export function ownerScope(actor: Account, ownerId: SQL, adminAll = true): SQL {
  if (actor.usertype === 'admin' && adminAll) return sql`true`;
  return sql`${ownerId} = ${realmOf(actor)}::int`;
}
