import { and, eq, inArray } from 'drizzle-orm';
import * as v from 'valibot';
import { devicegroups, devices } from '../../db/schema/devices.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { randomSecret } from '../crypto.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { readConflines } from '../settings/writeConflines.ts';
import {
  DIGITS,
  defaultPort,
  deviceType,
  EXTENSION,
  extensionTaken,
  lockDeviceIdentities,
  nextExtension,
  pinTaken,
  randomPin,
} from './deviceRules.ts';
import { formatCallerid } from './nice.ts';
import { Problems } from './problems.ts';
import { isId, reachableUsers, requireManager, requireRight, settingsOwner } from './reach.ts';

/** device_create input; `pin` absent → random PIN, `''` → PIN-less; `type` `''` → default type. */
export const CreateDevice = v.object({
  userId: UserId,
  description: v.optional(v.string()),
  pin: v.optional(v.string()),
  type: v.optional(v.string()),
  devicegroupId: v.optional(RowId),
  callerId: v.optional(v.string()),
  extension: v.optional(v.string()),
  fromuser: v.optional(v.string()),
  callTimeout: v.optional(v.union([v.number(), v.string()])),
});
export type CreateDevice = v.InferOutput<typeof CreateDevice>;

const DEFAULT_DEVICE = [
  'default_device_type',
  'default_device_call_limit',
  'default_device_canreinvite',
  'default_device_nat',
  'default_device_qualify',
  'default_device_location_id',
  'default_device_audio_codecs',
  'default_device_video_codecs',
];

/**
 * device_create: a dynamic (username/password) device for a user within reach, from its owner's
 * Default Device settings, with a strong random secret. Validation failures change nothing.
 */
export async function createDevice(ctx: Ctx, input: CreateDevice) {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2);
  return withTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select({ id: users.id, usertype: users.usertype, ownerId: users.ownerId })
      .from(users)
      .where(
        and(
          eq(users.id, isId(input.userId) ? input.userId : -1),
          inArray(users.usertype, ['user', 'reseller']),
          reachableUsers(tx.actor),
        ),
      );
    if (!user) throw notFound('user', 'User was not found');
    const owner = settingsOwner(user);
    const defaults = {
      ...(await readConflines(tx, 0, DEFAULT_DEVICE)),
      ...(await readConflines(tx, owner, DEFAULT_DEVICE)),
    };
    const type = deviceType(input.type || defaults.default_device_type || 'SIP');
    if (!type) throw invalid('device_type', 'Device type invalid');
    if (input.devicegroupId !== undefined && !(await groupOf(tx, input.devicegroupId, user.id))) {
      throw invalid('device_group', 'Device group invalid');
    }
    if (input.pin !== undefined && input.pin !== '' && !DIGITS.test(input.pin)) {
      throw invalid('pin_numeric', 'Pin must be numeric');
    }
    await lockDeviceIdentities(tx);
    if (input.pin && (await pinTaken(tx, input.pin))) throw invalid('pin_used', 'Pin is already used');
    const problems: string[] = [];
    if (input.extension !== undefined) {
      if (!EXTENSION.test(input.extension)) problems.push('Extension is invalid');
      else if (await extensionTaken(tx, input.extension)) problems.push('Extension is already used');
    }
    const callTimeout = input.callTimeout === undefined ? undefined : String(input.callTimeout);
    if (callTimeout !== undefined && !(DIGITS.test(callTimeout) && callTimeout.length <= 9)) {
      problems.push('Call timeout is invalid');
    }
    if (input.callerId !== undefined && !DIGITS.test(input.callerId)) problems.push('CallerID must be numeric');
    if (problems.length > 0) throw new Problems('Device was not created', problems);

    const extension = input.extension ?? (await nextExtension(tx));
    const codecs = [defaults.default_device_audio_codecs, defaults.default_device_video_codecs]
      .flatMap((list) => (list ?? '').split(','))
      .filter(Boolean);
    const secret = randomSecret(12);
    const locationId = Number(defaults.default_device_location_id);
    const [device] = await tx.db
      .insert(devices)
      .values({
        userId: user.id,
        deviceType: type,
        name: extension,
        username: extension,
        extension,
        secret,
        pin: input.pin ?? (await randomPin(tx)),
        description: input.description ?? '',
        devicegroupId: input.devicegroupId ?? null,
        callerid: input.callerId ? formatCallerid('', input.callerId) : '',
        fromuser: input.fromuser ?? '',
        callTimeout: callTimeout === undefined ? 0 : Number(callTimeout),
        port: defaultPort(type),
        callLimit: Number(defaults.default_device_call_limit ?? 0) || 0,
        canreinvite: defaults.default_device_canreinvite || 'no',
        nat: defaults.default_device_nat || 'yes',
        qualify: defaults.default_device_qualify || '2000',
        locationId: Number.isSafeInteger(locationId) && locationId > 0 ? locationId : null,
        ...(codecs.length > 0 ? { allow: codecs.join(';') } : {}),
      })
      .returning({ id: devices.id });
    await tx.db.update(devices).set({ accountcode: device!.id }).where(eq(devices.id, device!.id));
    await logAction(tx, { action: 'device_created', targetType: 'device', targetId: device!.id, data: extension });
    return { id: device!.id, username: extension, password: secret };
  });
}

async function groupOf(ctx: Ctx, groupId: number, userId: number) {
  if (!isId(groupId)) return false;
  const rows = await ctx.db
    .select({ id: devicegroups.id })
    .from(devicegroups)
    .where(and(eq(devicegroups.id, groupId), eq(devicegroups.userId, userId)));
  return rows.length > 0;
}
