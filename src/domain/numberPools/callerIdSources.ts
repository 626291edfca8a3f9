import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { findDevice } from '../devices/findDevice.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { providerInReach, requireProviderWriter } from '../providers/providerAccess.ts';
import { POOL_NOT_FOUND } from './access.ts';
import { randomPoolNumber } from './pickNumber.ts';

/** A pool id, or null to stop using one. */
const PoolRef = v.nullable(RowId);

export const SetDeviceCallerIdPools = v.strictObject({
  deviceId: RowId,
  /** CallerID from Number Pool: every call presents a random number of this pool. */
  numberPoolId: v.optional(PoolRef),
  /** Number Pool with valid CallerIDs and Random Number from a Number Pool: set together. */
  validPoolId: v.optional(PoolRef),
  randomPoolId: v.optional(PoolRef),
});
export type SetDeviceCallerIdPools = v.InferOutput<typeof SetDeviceCallerIdPools>;

export const SetProviderCallerIdPool = v.strictObject({ providerId: RowId, numberPoolId: PoolRef });
export type SetProviderCallerIdPool = v.InferOutput<typeof SetProviderCallerIdPool>;

export interface DeviceCallerIdPools {
  deviceId: number;
  numberPoolId: number | null;
  validPoolId: number | null;
  randomPoolId: number | null;
}

/** Each pool must belong to `realm` (0: the admin's; a reseller's id: that reseller's). */
async function requirePools(db: Db, realm: number, ids: (number | null | undefined)[]): Promise<void> {
  for (const id of ids) {
    if (id === null || id === undefined) continue;
    const [row] = await queryRows<{ id: number }>(
      db,
      // Held until the device or provider is written: a concurrent pool delete waits, then sees it.
      sql`select id from number_pools where id = ${id}::int and owner_id = ${realm}::int for key share`,
    );
    if (!row) throw notFound('number_pool', POOL_NOT_FOUND);
  }
}

/**
 * Chooses the number pools a device presents its CallerID from (the pools model: "CallerID from Number
 * Pool", or "Number Pool with valid CallerIDs" + "Random Number from a Number Pool"). The pools must be
 * in the device's realm; an absent key is unchanged, null clears it.
 */
export async function setDeviceCallerIdPools(ctx: Ctx, input: SetDeviceCallerIdPools): Promise<DeviceCallerIdPools> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2);
  return withTransaction(ctx, async (tx) => {
    const { device, owner } = await findDevice(tx, { id: input.deviceId }, true);
    const realm = owner.usertype === 'reseller' ? owner.id : owner.ownerId;
    await requirePools(tx.db, realm, [input.numberPoolId, input.validPoolId, input.randomPoolId]);
    const next = {
      numberPoolId: input.numberPoolId === undefined ? device.calleridNumberPoolId : input.numberPoolId,
      validPoolId: input.validPoolId === undefined ? device.cidValidPoolId : input.validPoolId,
      randomPoolId: input.randomPoolId === undefined ? device.cidRandomPoolId : input.randomPoolId,
    };
    if ((next.validPoolId === null) !== (next.randomPoolId === null))
      throw invalid('cid_pools', 'validPoolId and randomPoolId are set together');
    await tx.db.execute(sql`update devices set callerid_number_pool_id = ${next.numberPoolId}::int,
        cid_valid_pool_id = ${next.validPoolId}::int, cid_random_pool_id = ${next.randomPoolId}::int
      where id = ${device.id}::int`);
    await logAction(tx, {
      action: 'device_callerid_pools',
      targetType: 'device',
      targetId: device.id,
      data: JSON.stringify(next),
    });
    return { deviceId: device.id, ...next };
  });
}

/** The pool a provider presents its CallerID from (a pool of the provider's realm), or none. */
export async function setProviderCallerIdPool(
  ctx: Ctx,
  input: SetProviderCallerIdPool,
): Promise<{ providerId: number; numberPoolId: number | null }> {
  requireProviderWriter(ctx.actor);
  return withTransaction(ctx, async (tx) => {
    const provider = await providerInReach(tx, input.providerId, true);
    await requirePools(tx.db, provider.ownerId, [input.numberPoolId]);
    await tx.db.execute(
      sql`update providers set callerid_number_pool_id = ${input.numberPoolId}::int where id = ${provider.id}::int`,
    );
    await logAction(tx, {
      action: 'provider_callerid_pool',
      targetType: 'provider',
      targetId: provider.id,
      data: String(input.numberPoolId ?? ''),
    });
    return { providerId: provider.id, numberPoolId: input.numberPoolId };
  });
}

/** A device's CallerID pools: its "CallerID from Number Pool", and the valid / random pair. */
export interface DevicePools {
  pool: number | null;
  valid: number | null;
  random: number | null;
}

/**
 * The CallerID a device's call presents when its pools decide it: a random number of its CallerID
 * pool; else, with a valid-CallerID pool, `src` when it matches one of that pool's numbers (LIKE
 * semantics of the stored value: `%` any digits, `_` one) and a random number of the random pool when
 * not. Null: the pools do not decide (the switch keeps the device's own CallerID).
 */
export async function presentedCallerId(
  db: Db,
  deviceId: number,
  src: string | undefined,
  /** The device's pool columns when the caller has read them already (no statement then). */
  known?: DevicePools,
): Promise<string | null> {
  const [d] = known
    ? [known]
    : await queryRows<DevicePools>(
        db,
        sql`select callerid_number_pool_id as pool, cid_valid_pool_id as valid, cid_random_pool_id as random
          from devices where id = ${deviceId}::int`,
      );
  if (!d) return null;
  if (d.pool !== null) return randomPoolNumber(db, d.pool);
  if (d.valid === null || d.random === null || src === undefined) return null;
  const [ok] = await queryRows<{ ok: boolean }>(
    db,
    sql`select exists (select 1 from number_pool_numbers where number_pool_id = ${d.valid}::int
      and ${src}::text like number) as ok`,
  );
  return ok?.ok ? null : randomPoolNumber(db, d.random);
}

/** For each of `providerIds` that presents its CallerID from a pool, a random number of it. */
export async function providerCallerIds(db: Db, providerIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (providerIds.length === 0) return out;
  const rows = await queryRows<{ id: number; pool: number }>(
    db,
    sql`select id, callerid_number_pool_id as pool from providers
      where id = any(${`{${providerIds.join(',')}}`}::int[]) and callerid_number_pool_id is not null`,
  );
  for (const r of rows) {
    const number = await randomPoolNumber(db, r.pool);
    if (number !== null) out.set(r.id, number);
  }
  return out;
}
