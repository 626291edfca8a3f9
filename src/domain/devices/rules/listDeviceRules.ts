import { asc, eq } from 'drizzle-orm';
import { deviceRules } from '../../../db/schema/devices.ts';
import type { Ctx } from '../../ctx.ts';
import { notFound } from '../../errors.ts';
import { ruleDevice } from './ruleAccess.ts';

export type DeviceRule = typeof deviceRules.$inferSelect;

/** device_rules_get: the rules of a device in reach, by id; none → `Device has no rules`. */
export async function listDeviceRules(ctx: Ctx, deviceId: number | undefined): Promise<DeviceRule[]> {
  const device = await ruleDevice(ctx, deviceId, 1);
  const rows = await ctx.db
    .select()
    .from(deviceRules)
    .where(eq(deviceRules.deviceId, device.id))
    .orderBy(asc(deviceRules.id));
  if (rows.length === 0) throw notFound('device_rules', 'Device has no rules');
  return rows;
}
