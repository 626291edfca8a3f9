import { type SQL, sql } from 'drizzle-orm';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** What an operation on credit notes needs of an accountant: Manage invoices and See financial data levels. */
export interface NoteRights {
  invoices: 1 | 2;
  financial?: 1 | 2;
}

/**
 * Credit notes are managed by the admin, its resellers (their users' notes) and accountants whose
 * group grants "Manage invoices" (`invoices_manage`) and, where money is at stake, "See financial
 * data" (`see_financial_data`) at the levels given. A simple user only reads its own notes (`read`).
 * Refusals are FORBIDDEN `credit_notes` (the XML methods answer `Bad login`).
 */
export function requireNotes(actor: Account, rights: NoteRights, read = false): void {
  switch (actor.usertype) {
    case 'admin':
    case 'reseller':
      return;
    case 'accountant':
      if ((actor.rights.invoices_manage ?? 0) < rights.invoices) throw forbidden('credit_notes', 'Bad login');
      if (rights.financial && (actor.rights.see_financial_data ?? 0) < rights.financial) {
        throw forbidden('credit_notes', 'Bad login');
      }
      return;
    case 'user':
      if (read) return;
      throw forbidden('credit_notes', 'Bad login');
    default:
      throw forbidden('credit_notes', 'Bad login');
  }
}

/**
 * Users whose credit notes the actor reaches, over a `users` alias `u`: the admin and its accountants
 * the admin's realm (owner 0) but the admin itself, a reseller its users, a simple user itself.
 */
export function noteUsers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`(u.owner_id = 0 and u.id <> 0 and u.id <> ${actor.id}::int)`;
    case 'reseller':
      return sql`u.owner_id = ${actor.id}::int`;
    case 'user':
      return sql`u.id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/** An accountant without "See financial data" reads notes without their tax, paid state and pay date. */
export const seesFinancialData = (actor: Account): boolean =>
  actor.usertype !== 'accountant' || (actor.rights.see_financial_data ?? 0) >= 1;
