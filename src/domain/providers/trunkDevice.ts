import { eq } from 'drizzle-orm';
import { devices } from '../../db/schema/devices.ts';
import type { Ctx } from '../ctx.ts';
import type { ProviderRow } from './providerFields.ts';

/** The account a provider's internal device row belongs to: none (MOR keeps trunk devices at user -1). */
export const TRUNK_DEVICE_USER = -1;

/** The device columns that carry a provider's trunk settings. */
function trunkColumns(p: ProviderRow) {
  const dynamic = p.serverIp === 'dynamic';
  return {
    name: `prov${p.id}`,
    username: '',
    deviceType: p.tech,
    userId: TRUNK_DEVICE_USER,
    host: dynamic ? 'dynamic' : p.serverIp,
    ipaddr: dynamic || p.networkType !== 'ip' || p.serverIp === '' ? '0.0.0.0' : p.serverIp,
    port: p.port,
    secret: p.password,
    dtmfmode: p.dtmfmode,
    fromuser: p.fromuser,
    fromdomain: p.fromdomain,
    callLimit: p.callLimit,
    timeout: p.timeout,
    callTimeout: p.maxTimeout,
    istrunk: 1,
    description: p.name,
  };
}

/** Creates the provider's device row and links it; returns the device id. */
export async function createTrunkDevice(ctx: Ctx, p: ProviderRow): Promise<number> {
  const [device] = await ctx.db.insert(devices).values(trunkColumns(p)).returning({ id: devices.id });
  return device!.id;
}

/** Mirrors a changed provider on its device row. */
export async function syncTrunkDevice(ctx: Ctx, p: ProviderRow): Promise<void> {
  if (p.deviceId > 0) await ctx.db.update(devices).set(trunkColumns(p)).where(eq(devices.id, p.deviceId));
}

export async function deleteTrunkDevice(ctx: Ctx, p: ProviderRow): Promise<void> {
  if (p.deviceId > 0) await ctx.db.delete(devices).where(eq(devices.id, p.deviceId));
}
