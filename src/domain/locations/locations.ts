import { and, eq, ne, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { locationRules } from '../../db/schema/devices.ts';
import { locations } from '../../db/schema/stubs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import {
  GLOBAL_LOCATION,
  type LocationRow,
  locationById,
  locationOwner,
  readableLocations,
  requireLocationRole,
} from '../locationRules/locationAccess.ts';

/*
 * Locations (_lcr-model §4): where a caller IS. Devices (and providers, card groups) point to one;
 * location 1 is Global, whose rules apply to everybody where the device's own location has none.
 * The admin owns Global and its locations, a reseller its own. No XML method manages them (the wiki
 * documents none); the tRPC `locations.*` procedures do, so location rules can be created in them.
 */

const Name = v.pipe(v.string(), v.trim(), v.maxLength(255));
export const CreateLocation = v.object({ name: Name });
export const UpdateLocation = v.object({ id: RowId, name: Name });
export const DeleteLocation = v.object({ id: RowId });

/** Every location the caller may read (Global first for the admin and accountants), by id. */
export async function listLocations(ctx: Ctx): Promise<LocationRow[]> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return readableLocations(ctx);
}

/** A location the caller owns (the admin's for the admin and accountants), else NOT_FOUND. */
async function ownLocation(ctx: Ctx, id: number): Promise<LocationRow> {
  const row = await locationById(ctx, id);
  if (!row || row.ownerId !== locationOwner(ctx.actor)) throw notFound('location', 'Location not found');
  return row;
}

async function checkName(ctx: Ctx, name: string, ownerId: number, exceptId = 0): Promise<void> {
  if (name === '') throw invalid('name', 'Location name cannot be blank');
  if (name.toLowerCase() === GLOBAL_LOCATION.name.toLowerCase() && exceptId !== GLOBAL_LOCATION.id)
    throw conflict('name', 'Location name must be unique');
  // Location writers one at a time until commit: the name check must hold until the write, and
  // createLocation's setval-then-insert would otherwise hand two creators one id.
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor.locations'))`);
  const [dup] = await ctx.db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.ownerId, ownerId), eq(locations.name, name), ne(locations.id, exceptId)));
  if (dup) throw conflict('name', 'Location name must be unique');
}

/**
 * A new location of the caller. Global (id 1) is written first when no row names it yet, so the new
 * location can never take id 1 and become Global by accident.
 */
export async function createLocation(ctx: Ctx, input: { name: string }): Promise<LocationRow> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return withTransaction(ctx, async (tx) => {
    const ownerId = locationOwner(tx.actor);
    await checkName(tx, input.name, ownerId);
    await queryRows(
      tx.db,
      sql`insert into locations (id, name, owner_id) values (1, 'Global', 0) on conflict (id) do nothing`,
    );
    await queryRows(
      tx.db,
      sql`select setval(pg_get_serial_sequence('locations', 'id'), (select max(id) from locations))`,
    );
    const [row] = await tx.db
      .insert(locations)
      .values({ name: input.name, ownerId })
      .returning({ id: locations.id, name: locations.name, ownerId: locations.ownerId });
    await logAction(tx, { action: 'location_created', targetType: 'location', targetId: row!.id, data: input.name });
    return row!;
  });
}

/** Renames a location of the caller; Global keeps its name. */
export async function updateLocation(ctx: Ctx, input: { id: number; name: string }): Promise<LocationRow> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return withTransaction(ctx, async (tx) => {
    if (input.id === GLOBAL_LOCATION.id) throw forbidden('location', 'Global location cannot be changed');
    const old = await ownLocation(tx, input.id);
    await checkName(tx, input.name, old.ownerId, old.id);
    await tx.db.update(locations).set({ name: input.name }).where(eq(locations.id, old.id));
    await logAction(tx, {
      action: 'location_updated',
      targetType: 'location',
      targetId: old.id,
      data: old.name,
      data2: input.name,
    });
    return { ...old, name: input.name };
  });
}

/**
 * Deletes a location of the caller with its rules. Global cannot be deleted (wiki "Localization");
 * a location a device, provider or card group points to, or that a setting names as the default device
 * location, is `Location is in use`.
 */
export async function deleteLocation(ctx: Ctx, input: { id: number }): Promise<void> {
  requireLocationRole(ctx.actor, 'Access Denied');
  await withTransaction(ctx, async (tx) => {
    if (input.id === GLOBAL_LOCATION.id) throw forbidden('location', 'Global location cannot be deleted');
    const old = await ownLocation(tx, input.id);
    // The row lock orders this delete with a device or provider given the location (they read it `for
    // key share`): the check below sees what committed first, or the assignment finds no location.
    const [locked] = await queryRows(tx.db, sql`select id from locations where id = ${old.id}::int for update`);
    if (!locked) throw notFound('location', 'Location not found');
    const [use] = await queryRows<{ used: boolean }>(
      tx.db,
      sql`select exists (select 1 from devices where location_id = ${old.id})
        or exists (select 1 from providers where location_id = ${old.id})
        or exists (select 1 from cardgroups where location_id = ${old.id})
        or exists (select 1 from conflines where name = 'default_device_location_id' and value = ${String(old.id)}) as used`,
    );
    if (use?.used) throw conflict('location', 'Location is in use');
    await tx.db.delete(locationRules).where(eq(locationRules.locationId, old.id));
    await tx.db.delete(locations).where(eq(locations.id, old.id));
    await logAction(tx, { action: 'location_deleted', targetType: 'location', targetId: old.id, data: old.name });
  });
}
