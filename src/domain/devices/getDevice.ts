import { getTableColumns } from 'drizzle-orm';
import * as v from 'valibot';
import { devices } from '../../db/schema/devices.ts';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { type Device, findDevice } from './findDevice.ts';
import { requireManager, requireRight } from './reach.ts';

export const GetDevice = v.object({
  deviceId: v.optional(RowId),
  /** Device username; used only when deviceId is absent. */
  username: v.optional(v.string()),
});
export type GetDevice = v.InferOutput<typeof GetDevice>;

const AUDIO = new Set([
  'alaw',
  'ulaw',
  'g723',
  'g726',
  'g729',
  'gsm',
  'ilbc',
  'lpc10',
  'speex',
  'sdpcm',
  'slin',
  'opus',
]);

/** device_details_get: every column of a device within reach, plus its enabled codecs by kind. */
export async function getDevice(
  ctx: Ctx,
  input: GetDevice,
): Promise<{ device: Device; audioCodecs: string[]; videoCodecs: string[] }> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 1);
  const { device } = await findDevice(
    ctx,
    input.deviceId !== undefined ? { id: input.deviceId } : { username: input.username ?? '' },
  );
  const codecs = device.allow
    .split(/[;,]/)
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    device,
    audioCodecs: codecs.filter((c) => AUDIO.has(c)),
    videoCodecs: codecs.filter((c) => !AUDIO.has(c)),
  };
}

/** The device columns device_details_get prints (schema order), each under its MOR (snake_case) name. */
const HIDDEN_DETAIL_COLUMNS = new Set(['faxEmails', 'createdAt']);
export const DEVICE_DETAIL_COLUMNS: readonly string[] = Object.keys(getTableColumns(devices)).filter(
  (k) => !HIDDEN_DETAIL_COLUMNS.has(k),
);
