import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { users } from '../../db/schema/users.ts';
import type { Account } from './types.ts';

/** Accountant permission group rights (SETTINGS → Accountant permissions); level 0 none, 1 read, 2 write. */
export const ACCOUNTANT_RIGHTS = [
  'users_manage',
  'users_create',
  'see_financial_data',
  'devices_manage',
  'tariffs_manage',
  'dids_manage',
  'calling_cards_manage',
  'payments_manage',
  'invoices_manage',
  'services_manage',
  'subscriptions_manage',
  'monitorings',
  'hide_provider_data',
  /** Calls and statistics: call history (user_calls_get, local_calls_get), Data → Stats (aggregate_get). */
  'calls_stats',
  /** Providers, provider rules and LCRs (routing). */
  'manage_provider',
] as const;
export type AccountantRight = (typeof ACCOUNTANT_RIGHTS)[number];

/** Reseller permission group flags, exactly the ones reseller_group_create sets. */
export const RESELLER_RIGHTS = [
  'calling_cards',
  'call_shop',
  'sms_addon',
  'payment_gateways',
  'autodialer',
  'pbx_functions',
] as const;

/** True when an accountant's group grants `right` at `level` or more; other roles are not limited by rights. */
export function hasRight(actor: Account, right: AccountantRight, level: 1 | 2 = 1): boolean {
  if (actor.usertype !== 'accountant') return true;
  return (actor.rights[right] ?? 0) >= level;
}

/**
 * Whether the actor may read money (balances, credit, limits, prices): everyone but an accountant
 * whose group lacks "See financial data" (read or write). Readers null or omit money fields otherwise.
 */
export const seesMoney = (actor: Account): boolean => hasRight(actor, 'see_financial_data', 1);

/**
 * The ownership tree as a SQL predicate on `users`: admin sees everyone; an accountant the admin's users
 * (owner 0, admin excluded); a reseller itself and its own users; a simple user only itself.
 */
export function visibleUsers(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`(${users.ownerId} = 0 and ${users.id} <> 0)`;
    case 'reseller':
    case 'partner':
      return sql`(${users.id} = ${actor.id} or ${users.ownerId} = ${actor.id})`;
    default:
      return sql`${users.id} = ${actor.id}`;
  }
}
