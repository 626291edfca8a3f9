import { and, eq, type SQL, sql } from 'drizzle-orm';
import { lcrs } from '../../db/schema/lcrs.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';
import { providerOwner } from '../providers/providerAccess.ts';

export const NOT_AUTHORIZED = 'You are not authorized to use this functionality';
export const NO_LCRS = 'No LCRs found';

export type LcrRow = typeof lcrs.$inferSelect;

/**
 * Who works with LCRs: the admin, a reseller (its own LCRs), an accountant with Manage providers
 * (read for lists, write for changes). Anyone else → `You are not authorized to use this functionality`.
 */
export function requireLcrRole(actor: Account, level: 1 | 2): void {
  const ok =
    actor.usertype === 'admin' ||
    actor.usertype === 'reseller' ||
    (actor.usertype === 'accountant' && hasRight(actor, 'manage_provider', level));
  if (!ok) throw forbidden('role', NOT_AUTHORIZED);
}

/** The owner whose LCRs the actor works with: 0 (the admin's) or the reseller itself. */
export const lcrOwner = providerOwner;

export const reachableLcrs = (actor: Account): SQL => sql`${lcrs.ownerId} = ${lcrOwner(actor)}`;

/** An LCR within reach, locked when `forUpdate`; else `No LCRs found` (another owner's looks missing). */
export async function lcrInReach(ctx: Ctx, lcrId: number | undefined, forUpdate = false): Promise<LcrRow> {
  if (!isId(lcrId)) throw notFound('lcr', NO_LCRS);
  const query = ctx.db
    .select()
    .from(lcrs)
    .where(and(eq(lcrs.id, lcrId), reachableLcrs(ctx.actor)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('lcr', NO_LCRS);
  return row;
}

/** A stored decimal as Ruby's Float#to_s prints it: `0.0`, `12.5`, `3.25`. */
export function floatText(value: string): string {
  const [int = '0', frac = ''] = value.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${int}.${trimmed === '' ? '0' : trimmed}`;
}
