import { and, eq, type SQL, sql } from 'drizzle-orm';
import { locationRules } from '../../db/schema/devices.ts';
import { locations } from '../../db/schema/stubs.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';

export type LocationRuleRow = typeof locationRules.$inferSelect;
export interface LocationRow {
  id: number;
  name: string;
  ownerId: number;
}

/** Location 1 is Global, the admin's default location, even before a row names it. */
export const GLOBAL_LOCATION: LocationRow = { id: 1, name: 'Global', ownerId: 0 };

/**
 * Who works with location rules: the admin and accountants (as the admin) and resellers (their own
 * locations). Simple users get `denied` (the page's own spelling: `Access denied` or `Access Denied`).
 */
export function requireLocationRole(actor: Account, denied: string): void {
  if (actor.usertype !== 'admin' && actor.usertype !== 'accountant' && actor.usertype !== 'reseller')
    throw forbidden('role', denied);
}

/** The owner whose locations the actor writes to: 0 (the admin's) or the reseller itself. */
export const locationOwner = (actor: Account): number => (actor.usertype === 'reseller' ? actor.id : 0);

/** Reading reaches every location for the admin and accountants, a reseller's own for a reseller. */
const readable = (actor: Account, ownerId: number) => actor.usertype !== 'reseller' || ownerId === actor.id;

/** A location by id (Global included), or null. */
export async function locationById(ctx: Ctx, id: number | undefined): Promise<LocationRow | null> {
  if (!isId(id)) return null;
  const [row] = await ctx.db
    .select({ id: locations.id, name: locations.name, ownerId: locations.ownerId })
    .from(locations)
    .where(eq(locations.id, id));
  return row ?? (id === GLOBAL_LOCATION.id ? GLOBAL_LOCATION : null);
}

/** A location the actor may read, else a NOT_FOUND with `message`. */
export async function readableLocation(ctx: Ctx, id: number | undefined, message: string): Promise<LocationRow> {
  const row = await locationById(ctx, id);
  if (!row || !readable(ctx.actor, row.ownerId)) throw notFound('location', message);
  return row;
}

/** Every location the actor may read (Global first when no row names it), by id. */
export async function readableLocations(ctx: Ctx): Promise<LocationRow[]> {
  const where: SQL | undefined = ctx.actor.usertype === 'reseller' ? eq(locations.ownerId, ctx.actor.id) : undefined;
  const rows = await ctx.db
    .select({ id: locations.id, name: locations.name, ownerId: locations.ownerId })
    .from(locations)
    .where(where)
    .orderBy(locations.id);
  if (ctx.actor.usertype !== 'reseller' && !rows.some((r) => r.id === GLOBAL_LOCATION.id))
    rows.unshift(GLOBAL_LOCATION);
  return rows;
}

/** A rule whose location the actor may read, locked in `lock` mode when given; else NOT_FOUND with `message`. */
export async function ruleInReach(
  ctx: Ctx,
  id: number | undefined,
  message: string,
  lock?: 'update' | 'key share',
): Promise<{ rule: LocationRuleRow; location: LocationRow }> {
  if (!isId(id)) throw notFound('location_rule', message);
  const query = ctx.db.select().from(locationRules).where(eq(locationRules.id, id));
  const [rule] = lock ? await query.for(lock) : await query;
  const location = rule ? await locationById(ctx, rule.locationId) : null;
  if (!rule || !location || !readable(ctx.actor, location.ownerId)) throw notFound('location_rule', message);
  return { rule, location };
}

const IDENTITY = {
  lrType: locationRules.lrType,
  cut: locationRules.cut,
  add: locationRules.add,
  minlen: locationRules.minlen,
  maxlen: locationRules.maxlen,
  srcCut: locationRules.srcCut,
  srcAdd: locationRules.srcAdd,
  srcMinlen: locationRules.srcMinlen,
  srcMaxlen: locationRules.srcMaxlen,
} as const;
type IdentityKey = keyof typeof IDENTITY;

/** The rule's identity within its location (_lcr-model §4): same kind and patterns. */
export function samePattern(r: Pick<LocationRuleRow, IdentityKey>): SQL {
  return and(...(Object.keys(IDENTITY) as IdentityKey[]).map((k) => eq(IDENTITY[k], r[k])))!;
}

/**
 * True when `locationId` already holds a rule with the same pattern (other than `exceptId`). Call it in
 * the writing transaction: it locks the location's rules for writers until commit (no unique index can
 * say "same pattern"), so the answer holds until the write.
 */
export async function duplicateRule(
  ctx: Ctx,
  locationId: number,
  r: Pick<LocationRuleRow, IdentityKey>,
  exceptId = 0,
): Promise<boolean> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor.location_rules'), ${locationId}::int)`);
  const rows = await ctx.db
    .select({ id: locationRules.id })
    .from(locationRules)
    .where(and(eq(locationRules.locationId, locationId), samePattern(r), sql`${locationRules.id} <> ${exceptId}`))
    .limit(1);
  return rows.length > 0;
}
