import { and, eq, ne, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { locationGroups } from '../../db/schema/devices.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { locationOwner, requireLocationRole } from '../locationRules/locationAccess.ts';
import { isUniqueViolation } from '../users/dbErrors.ts';

/*
 * Location groups ("Location Groups" wiki page: "Used with Source Combined Rules. Helps reduce the
 * number of rules"): a named list of CallerID prefixes. A combined location rule that names a group
 * matches only CallerIDs starting with one of its prefixes. The admin (and accountants) manage the
 * admin's groups, a reseller its own; a rule may name only a group of its location's owner.
 */

const Name = v.pipe(v.string(), v.trim(), v.maxLength(255));
const Prefixes = v.pipe(
  v.array(v.pipe(v.string(), v.regex(/^\d{1,20}$/, 'a prefix is 1 to 20 digits'))),
  v.maxLength(5000),
);
export const CreateLocationGroup = v.object({ name: Name, prefixes: v.optional(Prefixes) });
export const UpdateLocationGroup = v.object({ id: RowId, name: v.optional(Name), prefixes: v.optional(Prefixes) });
export const DeleteLocationGroup = v.object({ id: RowId });

export interface LocationGroupRow {
  id: number;
  name: string;
  ownerId: number;
  prefixes: string[];
}

const COLUMNS = {
  id: locationGroups.id,
  name: locationGroups.name,
  ownerId: locationGroups.ownerId,
  prefixes: locationGroups.prefixes,
};

/** Sorted, without duplicates. */
const tidy = (prefixes: readonly string[]) => [...new Set(prefixes)].sort();

/** The caller's groups (the admin's for the admin and accountants), by id. */
export async function listLocationGroups(ctx: Ctx): Promise<LocationGroupRow[]> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return ctx.db
    .select(COLUMNS)
    .from(locationGroups)
    .where(eq(locationGroups.ownerId, locationOwner(ctx.actor)))
    .orderBy(locationGroups.id);
}

async function ownGroup(ctx: Ctx, id: number, lock = false): Promise<LocationGroupRow> {
  const query = ctx.db
    .select(COLUMNS)
    .from(locationGroups)
    .where(and(eq(locationGroups.id, id), eq(locationGroups.ownerId, locationOwner(ctx.actor))));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('location_group', 'Location Group was not found');
  return row;
}

async function checkName(ctx: Ctx, name: string, ownerId: number, exceptId = 0): Promise<void> {
  if (name === '') throw invalid('name', 'Location Group name cannot be blank');
  const [dup] = await ctx.db
    .select({ id: locationGroups.id })
    .from(locationGroups)
    .where(and(eq(locationGroups.ownerId, ownerId), eq(locationGroups.name, name), ne(locationGroups.id, exceptId)));
  if (dup) throw conflict('name', 'Location Group name must be unique');
}

/** The unique index (owner, name) refused a write whose name a concurrent writer took after checkName. */
function nameTakenMeanwhile(error: unknown): never {
  if (isUniqueViolation(error)) throw conflict('name', 'Location Group name must be unique');
  throw error;
}

export async function createLocationGroup(
  ctx: Ctx,
  input: { name: string; prefixes?: string[] },
): Promise<LocationGroupRow> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return withTransaction(ctx, async (tx) => {
    const ownerId = locationOwner(tx.actor);
    await checkName(tx, input.name, ownerId);
    const [row] = await tx.db
      .insert(locationGroups)
      .values({ name: input.name, ownerId, prefixes: tidy(input.prefixes ?? []) })
      .returning(COLUMNS)
      .catch(nameTakenMeanwhile);
    await logAction(tx, {
      action: 'location_group_created',
      targetType: 'location_group',
      targetId: row!.id,
      data: input.name,
    });
    return row!;
  });
}

/** Only sent fields change; `prefixes` replaces the whole list. */
export async function updateLocationGroup(
  ctx: Ctx,
  input: { id: number; name?: string; prefixes?: string[] },
): Promise<LocationGroupRow> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return withTransaction(ctx, async (tx) => {
    const old = await ownGroup(tx, input.id);
    const next = { ...old };
    if (input.name !== undefined) {
      await checkName(tx, input.name, old.ownerId, old.id);
      next.name = input.name;
    }
    if (input.prefixes !== undefined) next.prefixes = tidy(input.prefixes);
    await tx.db
      .update(locationGroups)
      .set({ name: next.name, prefixes: next.prefixes })
      .where(eq(locationGroups.id, old.id))
      .catch(nameTakenMeanwhile);
    await logAction(tx, {
      action: 'location_group_updated',
      targetType: 'location_group',
      targetId: old.id,
      data: JSON.stringify(old),
      data2: JSON.stringify(next),
    });
    return next;
  });
}

/**
 * A group a location rule still names is `Location Group is in use`. The group's row lock orders the
 * delete with a rule naming the group (checkRule reads it `for key share`).
 */
export async function deleteLocationGroup(ctx: Ctx, input: { id: number }): Promise<void> {
  requireLocationRole(ctx.actor, 'Access Denied');
  await withTransaction(ctx, async (tx) => {
    const old = await ownGroup(tx, input.id, true);
    const [use] = await queryRows<{ used: boolean }>(
      tx.db,
      sql`select exists (select 1 from location_rules where locationgroup_id = ${old.id}) as used`,
    );
    if (use?.used) throw conflict('location_group', 'Location Group is in use');
    await tx.db.delete(locationGroups).where(eq(locationGroups.id, old.id));
    await logAction(tx, {
      action: 'location_group_deleted',
      targetType: 'location_group',
      targetId: old.id,
      data: JSON.stringify(old),
    });
  });
}
