import { type SQL, sql } from 'drizzle-orm';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** service_create / service_update: a caller that may not change services. */
export const NOT_AUTHORIZED = 'You are not authorized to use this functionality';
/** service_delete / services_get: a caller that may not manage services. */
export const NOT_AUTHORIZED_SERVICES = 'You are not authorized to manage Services';

/**
 * Services are managed by the admin, resellers (their own) and accountants whose group grants
 * "Manage Services" (`services_manage`: 1 read, 2 write). Everyone else is refused with `message`
 * (FORBIDDEN `services`); simple users and partners get `Access Denied`.
 */
export function requireServices(actor: Account, level: 1 | 2, message: string): void {
  switch (actor.usertype) {
    case 'admin':
    case 'reseller':
      return;
    case 'accountant':
      if ((actor.rights.services_manage ?? 0) < level) throw forbidden('services', message);
      return;
    default:
      throw forbidden('services', 'Access Denied');
  }
}

/**
 * Services the actor manages, over a `services` alias `sv`: the admin every service (its own and its
 * resellers'), an accountant the admin's, a reseller its own.
 */
export function managedServices(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`sv.owner_id = 0`;
    case 'reseller':
      return sql`sv.owner_id = ${actor.id}::int`;
    default:
      return sql`false`;
  }
}

/** An accountant without "See financial data" reads services without prices. */
export const seesPrices = (actor: Account) =>
  actor.usertype !== 'accountant' || (actor.rights.see_financial_data ?? 0) >= 1;
