import { hasRight } from '../../auth/rights.ts';
import type { Ctx } from '../../ctx.ts';
import { notFound } from '../../errors.ts';
import { type Device, findDevice } from '../findDevice.ts';

/**
 * The device whose rules the caller may read (1) or change (2): admin any; an accountant any when its
 * group grants Manage devices at that level; a reseller the devices of itself and its users. Anything
 * else — a simple user, a device out of reach, a missing one — is `Device was not found`.
 */
export async function ruleDevice(ctx: Ctx, deviceId: number | undefined, level: 1 | 2, lock = false): Promise<Device> {
  const { actor } = ctx;
  const allowed =
    actor.usertype === 'admin' ||
    actor.usertype === 'reseller' ||
    (actor.usertype === 'accountant' && hasRight(actor, 'devices_manage', level));
  if (!allowed || deviceId === undefined) throw notFound('device', 'Device was not found');
  return (await findDevice(ctx, { id: deviceId }, lock)).device;
}
