import { type SQL, sql } from 'drizzle-orm';
import { tariffs } from '../../db/schema/rating.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { readConflines } from '../settings/writeConflines.ts';

/** The owner id of what an account creates: accountants act for the admin (owner 0). */
export const realmOf = (actor: Account): number =>
  actor.usertype === 'admin' || actor.usertype === 'accountant' ? 0 : actor.id;

/** Throws unless the actor may read (1) or write (2) tariffs and rates. Users never manage tariffs. */
export function requireTariffRight(actor: Account, level: 1 | 2): void {
  if (actor.usertype === 'user') throw forbidden('tariffs_manage');
  if (!hasRight(actor, 'tariffs_manage', level)) throw forbidden('tariffs_manage');
}

/** Admin (and accountants with the right) manage the shared catalogue: destinations, groups, currencies. */
export function requireCatalogueRight(actor: Account, level: 1 | 2): void {
  if (level === 1 && actor.usertype === 'reseller') return;
  if (actor.usertype !== 'admin' && actor.usertype !== 'accountant') throw forbidden('catalogue');
  if (!hasRight(actor, 'tariffs_manage', level)) throw forbidden('tariffs_manage');
}

/** "Allow Resellers to use Admin Tariffs" (API settings). */
export async function resellersMayUseAdminTariffs(ctx: Pick<Ctx, 'db'>): Promise<boolean> {
  const lines = await readConflines(ctx, 0, ['allow_resellers_admin_tariffs']);
  return lines.allow_resellers_admin_tariffs === '1';
}

/**
 * Tariffs an actor may read, as a predicate on `tariffs`: admin all; accountant the admin's; reseller
 * its own plus, when allowed, the admin's user tariffs (never provider ones: the admin's cost prices).
 */
export function readableTariffs(actor: Account, adminTariffsAllowed: boolean): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`true`;
    case 'accountant':
      return sql`${tariffs.ownerId} = 0`;
    case 'reseller':
    case 'partner':
      return adminTariffsAllowed
        ? sql`(${tariffs.ownerId} = ${actor.id} or (${tariffs.ownerId} = 0 and ${tariffs.purpose} <> 'provider'))`
        : sql`${tariffs.ownerId} = ${actor.id}`;
    default:
      return sql`false`;
  }
}

/** Tariffs an actor may change: admin all; accountant the admin's; reseller its own. */
export function writableTariffs(actor: Account): SQL {
  if (actor.usertype === 'admin') return sql`true`;
  return sql`${tariffs.ownerId} = ${realmOf(actor)}`;
}
