import { and, eq, ne, or, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { devices } from '../../db/schema/devices.ts';
import { randomString } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';

export const DEVICE_TYPES = ['SIP', 'PJSIP', 'IAX2', 'FAX', 'Virtual', 'H323'] as const;

/** The documented spelling of a device type, whatever case it was sent in; null when unknown. */
export const deviceType = (s: string) => DEVICE_TYPES.find((t) => t.toLowerCase() === s.toLowerCase()) ?? null;

/** Default signalling port of a device type. */
export const defaultPort = (type: string) =>
  type === 'IAX2' ? 4569 : type === 'H323' ? 1720 : type === 'SIP' || type === 'PJSIP' ? 5060 : 0;

export const EXTENSION = /^[a-z0-9#*]+$/;
export const DIGITS = /^\d+$/;
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const MIN_SECRET = 8;

/**
 * Integrity Check's weak password (_devices-model §8): a username/password device whose secret is
 * shorter than 8 characters or equals its username.
 */
export const weakSecret = (secret: string, username: string) => secret.length < MIN_SECRET || secret === username;

/** True when another device already uses `value` as extension or username (they share a namespace). */
export async function extensionTaken(ctx: Ctx, value: string, exceptId = 0): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: devices.id })
    .from(devices)
    .where(and(or(eq(devices.extension, value), eq(devices.username, value)), ne(devices.id, exceptId)))
    .limit(1);
  return rows.length > 0;
}

export async function pinTaken(ctx: Ctx, pin: string, exceptId = 0): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: devices.id })
    .from(devices)
    .where(and(eq(devices.pin, pin), ne(devices.id, exceptId)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Serialises the writers of device extensions, usernames and PINs until the transaction ends, so a
 * "taken" check (extensionTaken, pinTaken) stays true until the write. Extension and username share one
 * namespace across two columns and PINs have no unique index: only this lock keeps them unique under
 * concurrent creates and updates (without it, two at once both passed the check; the unique indexes
 * then answered an internal error, or two devices got one PIN).
 */
export async function lockDeviceIdentities(ctx: Ctx): Promise<void> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor.devices.extension'))`);
}

/**
 * The next free numeric extension (greatest numeric one + 1, from 1001), under lockDeviceIdentities so
 * two concurrent creations cannot pick the same number.
 */
export async function nextExtension(ctx: Ctx): Promise<string> {
  await lockDeviceIdentities(ctx);
  const [row] = await queryRows<{ next: string }>(
    ctx.db,
    sql`select (coalesce(max(extension::bigint), 1000) + 1)::text as next
        from devices where extension ~ '^[0-9]{1,15}$'`,
  );
  let next = BigInt(row?.next ?? '1001');
  while (await extensionTaken(ctx, next.toString())) next += 1n;
  return next.toString();
}

/** A random unused 6-digit PIN. */
export async function randomPin(ctx: Ctx): Promise<string> {
  for (;;) {
    const pin = randomString(6, '0123456789');
    if (!(await pinTaken(ctx, pin))) return pin;
  }
}
