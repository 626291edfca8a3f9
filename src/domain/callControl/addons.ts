import type { Ctx } from '../ctx.ts';
import { readConflines } from '../settings/writeConflines.ts';

/**
 * MOR's paid addons, as global settings (admin's conflines, `1` = active; absent = off, as an addon
 * not bought): `callback_addon` (callback_init), `monitorings_addon` (spy_call, ma_activate),
 * `sms_addon` (the SMS methods).
 */
export const ADDONS = ['callback_addon', 'monitorings_addon', 'sms_addon'] as const;
export type Addon = (typeof ADDONS)[number];

export async function addonActive(ctx: Pick<Ctx, 'db'>, addon: Addon): Promise<boolean> {
  const lines = await readConflines(ctx, 0, [addon]);
  return lines[addon] === '1';
}

/** The one switch openmor's call control reaches (its AMI connection); calls on others cannot be controlled. */
export const CONTROLLED_SERVER_ID = 1;
