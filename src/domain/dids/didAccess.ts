import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { devices } from '../../db/schema/devices.ts';
import { dids, providers } from '../../db/schema/dids.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { isId, requireManager, requireRight } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';

export type Did = typeof dids.$inferSelect;
export const NOT_MANAGE_DIDS = 'You are not authorized to manage DIDs';

/**
 * DID realm (_devices-model §4) as a predicate on `dids`: admin and accountants every DID, a reseller
 * the DIDs handed to it, a simple user the DIDs reserved for or assigned to it.
 */
export function didRealm(actor: Account): SQL {
  switch (actor.usertype) {
    case 'admin':
    case 'accountant':
      return sql`true`;
    case 'reseller':
      return sql`${dids.resellerId} = ${actor.id}`;
    case 'user':
      return sql`${dids.userId} = ${actor.id}`;
    default:
      return sql`false`;
  }
}

/** Admin, reseller, or an accountant whose group grants Manage DIDs (and `devices` when named). */
export function requireDidManager(actor: Account, didsLevel: 1 | 2, devicesLevel?: 1 | 2) {
  requireManager(actor);
  requireRight(actor, 'dids_manage', didsLevel, NOT_MANAGE_DIDS);
  if (devicesLevel) requireRight(actor, 'devices_manage', devicesLevel, NOT_MANAGE_DIDS);
}

/**
 * A DID by number or id for assign/unassign: missing → `DID was not found`; outside the caller's DID
 * realm (for a reseller: kept by the admin or handed to another reseller) → the pages' distinct
 * `Your are not authorized to use this DID`.
 */
export async function didForManager(ctx: Ctx, by: { number?: string; id?: number }, lock = true): Promise<Did> {
  const where =
    by.number !== undefined
      ? /^\d+$/.test(by.number)
        ? eq(dids.did, by.number)
        : undefined
      : isId(by.id)
        ? eq(dids.id, by.id)
        : undefined;
  const query = where && ctx.db.select().from(dids).where(where);
  const [did] = query ? (lock ? await query.for('update') : await query) : [];
  if (!did) throw notFound('did', 'DID was not found');
  if (ctx.actor.usertype === 'reseller' && did.resellerId !== ctx.actor.id) {
    throw forbidden('did_realm', 'Your are not authorized to use this DID');
  }
  return did;
}

/** A DID by id inside the caller's DID realm (did_details_update, did_subscription_stop). */
export async function didInRealm(ctx: Ctx, id: number | undefined, lock = true): Promise<Did> {
  const query = isId(id)
    ? ctx.db
        .select()
        .from(dids)
        .where(and(eq(dids.id, id), didRealm(ctx.actor)))
    : undefined;
  const [did] = query ? (lock ? await query.for('update') : await query) : [];
  if (!did) throw notFound('did', 'DID was not found');
  return did;
}

/**
 * For a write that takes a DID off its device: locks the device the DID is on, then the DID (`read`
 * reads it, locked when asked). assignDid and deleteDevice lock a device before its DIDs; taking the
 * DID first, an unassign and an assign of one DID on one device at once could deadlock. A DID changes
 * device only under its device's lock, so the locked read finds it where the
 * first read did, unless it was on none then and got one meanwhile: the first read answers (this
 * request came first).
 */
export async function didAfterItsDevice(ctx: Ctx, read: (lock: boolean) => Promise<Did>): Promise<Did> {
  const seen = await read(false);
  if (seen.deviceId !== 0) {
    await ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.id, seen.deviceId)).for('update');
  }
  const did = await read(true);
  return did.deviceId === seen.deviceId ? did : seen;
}

/**
 * The provider a DID uses: the admin's providers for admin/accountants, a reseller's own ones; a
 * reseller that names none gets its default provider (the one marked default, else its first).
 */
export async function resolveProvider(ctx: Ctx, providerId: number | undefined): Promise<number> {
  const owner = ctx.actor.usertype === 'reseller' ? ctx.actor.id : 0;
  if (providerId === undefined) {
    const [own] =
      owner === 0
        ? []
        : await ctx.db
            .select({ id: providers.id })
            .from(providers)
            .where(eq(providers.ownerId, owner))
            .orderBy(desc(providers.isDefault), asc(providers.id))
            .limit(1)
            .for('key share');
    if (!own) throw notFound('provider', 'Provider was not found');
    return own.id;
  }
  // Locked until the DID is written (callers run in a transaction): a concurrent provider delete waits,
  // then sees the DID.
  const [provider] = isId(providerId)
    ? await ctx.db.select().from(providers).where(eq(providers.id, providerId)).for('key share')
    : [];
  if (!provider) throw notFound('provider', 'Provider was not found');
  if (provider.ownerId !== owner) throw forbidden('provider_realm', 'Your are not authorized to use this Provider');
  return provider.id;
}
