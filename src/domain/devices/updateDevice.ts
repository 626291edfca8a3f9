import { and, count, eq, inArray } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { locations } from '../../db/schema/stubs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { readConflines } from '../settings/writeConflines.ts';
import { applyAuthentication } from './deviceAuth.ts';
import { PLAIN_FIELDS } from './deviceFields.ts';
import { DIGITS, EXTENSION, extensionTaken, lockDeviceIdentities, pinTaken } from './deviceRules.ts';
import { type Device, findDevice } from './findDevice.ts';
import { formatCallerid, parseCallerid } from './nice.ts';
import { Problems } from './problems.ts';
import { isId, requireManager, requireRight } from './reach.ts';
import { applyExtras } from './updateExtras.ts';

const Value = v.optional(v.union([v.string(), v.number()]));

/** device_update input: every field optional, values as MOR takes them (strings or numbers). */
export const UpdateDevice = v.object({
  deviceId: RowId,
  newLocationId: v.optional(RowId),
  authentication: Value,
  username: Value,
  host: Value,
  port: Value,
  password: Value,
  hostname: Value,
  extension: Value,
  pin: Value,
  trunk: Value,
  calleridNumber: Value,
  calleridName: Value,
  allowEmptyCallerid: Value,
  calleridControlByDids: Value,
  emergencyCalleridPoolId: Value,
  faxEmailAdd: Value,
  faxEmailDelete: Value,
  callLimit: Value,
  inboundCallLimit: Value,
  totalCallLimit: Value,
  fromuser: Value,
  callTimeout: Value,
  ringingTimeout: Value,
  hidden: Value,
  language: Value,
  comment: Value,
  description: Value,
  encryption: Value,
  transport: Value,
  deviceBalanceEnabled: Value,
  balance: Value,
  voicemailEmail: Value,
  progressinband: Value,
  emergencyCallerid: Value,
  sendrpid: Value,
  t38Support: Value,
  copyLegaNameToLegbNumber: Value,
});
export type UpdateDevice = v.InferOutput<typeof UpdateDevice>;

type Set = Partial<typeof devices.$inferInsert>;

/**
 * device_update: validates every sent field (all problems reported together, nothing saved on any),
 * then saves them. The result never is a weak or an insecure dynamic device (_devices-model §8).
 */
export async function updateDevice(ctx: Ctx, input: UpdateDevice): Promise<void> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2);
  await withTransaction(ctx, async (tx) => {
    // Every update, before the device's row lock: the extension, username and PIN checks below (a
    // username may also follow from the extension) must hold until the write.
    await lockDeviceIdentities(tx);
    const { device } = await findDevice(tx, { id: input.deviceId }, true);
    const set: Set = {};
    if (input.newLocationId !== undefined) set.locationId = await locationInRealm(tx, input.newLocationId);
    const problems: string[] = [];
    await applyAuthentication(tx, device, input, set, problems);
    const sentTotal = input.totalCallLimit !== undefined;
    for (const field of PLAIN_FIELDS) {
      const raw = (input as Record<string, string | number | undefined>)[field.key];
      if (raw === undefined) continue;
      if (sentTotal && (field.key === 'callLimit' || field.key === 'inboundCallLimit')) continue;
      const value = field.check(String(raw));
      if (value === null) problems.push(`${field.param} is invalid`);
      else (set as Record<string, unknown>)[field.column] = value;
    }
    await applyIdentity(tx, device, input, set, problems);
    applyCallerid(device, input, set);
    applyExtras(device, input, set, problems);
    if (problems.length > 0) throw new Problems('Device was not updated', problems);
    if (Object.keys(set).length > 0) await tx.db.update(devices).set(set).where(eq(devices.id, device.id));
    await logAction(tx, {
      action: 'device_edited',
      targetType: 'device',
      targetId: device.id,
      data: Object.keys(set)
        .filter((k) => k !== 'secret')
        .join(','),
    });
  });
}

/** A location of the caller's realm (a reseller's own, plus the admin's when the admin allows it). */
async function locationInRealm(ctx: Ctx, id: number): Promise<number> {
  const owners = [0];
  if (ctx.actor.usertype === 'reseller') {
    const lines = await readConflines(ctx, 0, ['allow_resellers_admin_localization']);
    owners.splice(0, 1, ctx.actor.id, ...(lines.allow_resellers_admin_localization === '1' ? [0] : []));
  }
  const rows = isId(id)
    ? await ctx.db
        .select({ id: locations.id })
        .from(locations)
        .where(and(eq(locations.id, id), inArray(locations.ownerId, owners)))
        // Held until the device is written: a concurrent location delete waits, then sees the device.
        .for('key share')
    : [];
  if (rows.length === 0) throw notFound('location', 'Location was not found');
  return id;
}

async function applyIdentity(ctx: Ctx, device: Device, input: UpdateDevice, set: Set, problems: string[]) {
  if (input.extension !== undefined) {
    const extension = String(input.extension);
    if (!EXTENSION.test(extension)) problems.push('Extension is invalid');
    else if (extension !== device.extension && (await extensionTaken(ctx, extension, device.id))) {
      problems.push('Extension is already used');
    } else set.extension = extension;
  }
  if (input.pin !== undefined) {
    const pin = String(input.pin);
    if (pin !== '' && !DIGITS.test(pin)) problems.push('Pin must be numeric');
    else if (pin !== '' && (await pinTaken(ctx, pin, device.id))) problems.push('Pin is already used');
    else set.pin = pin;
  }
  if (input.trunk !== undefined) {
    const trunk = String(input.trunk);
    if (!['0', '1', '2'].includes(trunk)) problems.push('trunk is invalid');
    else Object.assign(set, { istrunk: trunk === '0' ? 0 : 1, ani: trunk === '2' ? 1 : 0 });
  }
  if (input.calleridControlByDids !== undefined) {
    const value = String(input.calleridControlByDids);
    const number = parseCallerid(set.callerid ?? device.callerid).number;
    const [row] = await ctx.db.select({ n: count() }).from(dids).where(eq(dids.deviceId, device.id));
    if (value !== '0' && value !== '1') problems.push('callerid_control_by_dids is invalid');
    else if (value === '1' && (number !== '' || (row?.n ?? 0) === 0))
      problems.push('callerid_control_by_dids is invalid');
    else set.calleridControlByDids = +value;
  }
}

/** CallerID halves: a missing half keeps its value; empty values only with allow_empty_callerid=1. */
function applyCallerid(device: Device, input: UpdateDevice, set: Set) {
  const allowEmpty = String(input.allowEmptyCallerid ?? '') === '1';
  const pick = (x: string | number | undefined, old: string) => {
    if (x === undefined) return old;
    const s = String(x);
    return s === '' && !allowEmpty ? old : s;
  };
  const old = parseCallerid(device.callerid);
  const name = pick(input.calleridName, old.name);
  const number = pick(input.calleridNumber, old.number);
  if (name !== old.name || number !== old.number) set.callerid = formatCallerid(name, number);
}
