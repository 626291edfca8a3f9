import { and, eq } from 'drizzle-orm';
import { callerids } from '../../db/schema/clis.ts';
import { devices } from '../../db/schema/devices.ts';
import { conflines } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import type { Db } from '../../db/types.ts';
import { logAction } from '../actions/logAction.ts';
import type { Account } from '../auth/types.ts';
import { randomSecret, randomString } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { emitEvent } from '../events/emit.ts';
import { API_SETTINGS } from '../settings/catalogue.ts';
import { loadDefaultUser } from './defaultUser.ts';
import { lockUserIdentities } from './identity.ts';
import { insertUser } from './insertUser.ts';
import { passwordColumns } from './password.ts';
import { checkRegistration, DONT_BE_SO_SMART, type RegisterInput } from './registerChecks.ts';

export type { RegisterInput } from './registerChecks.ts';

/** What the new user needs to connect its first device (user_register's <user_device_settings>). */
export interface Registration {
  userId: number;
  deviceType: string;
  deviceUsername: string;
  devicePassword: string;
  /** The device's 6-digit PIN (unique among devices). */
  pin: string;
  serverIp: string;
  registrationNotice: string;
}

const MESSAGE = {
  owner: DONT_BE_SO_SMART,
  blocked: 'Access Denied',
  disabled: 'Registration over API is disabled',
  noDefault: 'Default user is not present',
};

/**
 * user_register: signs a simple user up under the owner whose uniquehash is `id` (admin or a
 * reseller), copying the owner's Default User, and creates its first device with a generated unique
 * username and a strong secret. Every failure is a DomainError whose message is the exact MOR string.
 */
export async function registerUser(base: Omit<Ctx, 'actor'>, input: RegisterInput): Promise<Registration> {
  return base.db.transaction(async (db) => {
    const tx: Omit<Ctx, 'actor'> = { ...base, db: db as unknown as Db };
    const [owner] = await tx.db
      .select()
      .from(users)
      .where(input.ownerUniquehash ? eq(users.uniquehash, input.ownerUniquehash) : eq(users.id, 0));
    if (!owner) throw notFound('user', 'User was not found');
    if (owner.usertype !== 'admin' && owner.usertype !== 'reseller')
      throw new DomainError('FORBIDDEN', 'owner', MESSAGE.owner);
    if (owner.blocked) throw new DomainError('FORBIDDEN', 'owner_blocked', MESSAGE.blocked);
    const [line] = await tx.db
      .select({ value: conflines.value })
      .from(conflines)
      .where(and(eq(conflines.ownerId, 0), eq(conflines.name, API_SETTINGS.allowApiRegistration)));
    if (line?.value !== '1') throw new DomainError('DISABLED', 'registration', MESSAGE.disabled);
    const template = await loadDefaultUser(tx, owner.id);
    if (!template) throw invalid('default_user', MESSAGE.noDefault);
    await lockUserIdentities(tx);
    const { deviceType, username } = await checkRegistration(tx, input, template);
    const user = await insertUser(
      tx,
      {
        ...template.columns,
        ...(input.lcrId ? { lcrId: Number(input.lcrId) } : {}),
        ...(await passwordColumns(username, input.password ?? '')),
        username,
        usertype: 'user',
        ownerId: owner.id,
        taxationCountry: Number(input.countryId),
        clientid: input.clientId ?? '',
        vatNumber: input.vatNumber ?? '',
        agreementDate: tx.clock().toISOString().slice(0, 10),
      },
      {
        firstName: input.firstName,
        lastName: input.lastName,
        address: input.address,
        postcode: input.postcode,
        city: input.city,
        county: input.county,
        state: input.state,
        directionId: Number(input.countryId),
        phone: input.phone,
        mobPhone: input.mobPhone,
        fax: input.fax,
        email: input.email,
      },
    );
    const actor = { ...tx, actor: accountOf(owner) };
    await logAction(actor, { action: 'user_registered', targetType: 'user', targetId: user.id, data: username });
    await emitEvent(tx, {
      type: 'user.registered',
      realmId: owner.id,
      userId: user.id,
      payload: { userId: user.id, username, ownerId: owner.id, email: input.email ?? '' },
    });
    const device = await createFirstDevice(actor, user.id, {
      deviceType,
      callerid: input.callerId ?? '',
      locationId: input.deviceLocationId ? Number(input.deviceLocationId) : null,
      phone: input.phone ?? '',
    });
    return {
      userId: user.id,
      deviceType,
      deviceUsername: device.username,
      devicePassword: device.secret,
      pin: device.pin,
      serverIp: template.serverIp,
      registrationNotice: template.notice,
    };
  });
}

/**
 * The first device (MOR's Online registration rule): unique 10-digit username, strong 12-character
 * secret, unique 6-digit PIN, CallerID and location as sent, and the user's phone as its CLI when that
 * number is not already some device's CLI (CLIs are unique system-wide).
 */
async function createFirstDevice(
  ctx: Ctx,
  userId: number,
  input: { deviceType: string; callerid: string; locationId: number | null; phone: string },
) {
  const secret = randomSecret(12);
  for (;;) {
    // Ten digits, like MOR's numeric device names; a clash of username or PIN simply draws again.
    const username = randomString(10, '0123456789');
    const pin = randomString(6, '0123456789');
    const [taken] = await ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.pin, pin)).limit(1);
    if (taken) continue;
    const [device] = await ctx.db
      .insert(devices)
      .values({
        userId,
        username,
        secret,
        pin,
        deviceType: input.deviceType,
        callerid: input.callerid,
        locationId: input.locationId,
      })
      .onConflictDoNothing()
      .returning();
    if (!device) continue;
    await logAction(ctx, { action: 'device_created', targetType: 'device', targetId: device.id, data: username });
    if (input.phone) {
      await ctx.db.insert(callerids).values({ cli: input.phone, deviceId: device.id }).onConflictDoNothing();
    }
    return device;
  }
}

const accountOf = (row: typeof users.$inferSelect): Account => ({
  id: row.id,
  username: row.username,
  usertype: row.usertype,
  ownerId: row.ownerId,
  blocked: row.blocked,
  accGroupId: row.accGroupId,
  apiLevels: null,
  rights: {},
});
