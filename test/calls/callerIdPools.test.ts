import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import {
  createDevice,
  createReseller,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

/**
 * Number pools as CallerID sources (pools model): a device's "CallerID from Number Pool" presents a
 * random number of the pool on every call; "Number Pool with valid CallerIDs" keeps a CallerID that
 * matches it and replaces any other by a random number of the random pool; a provider's pool gives
 * the CallerID of its leg. calls.authorize answers them.
 */
const api = useTestApp();
let admin: Awaited<ReturnType<typeof callerAs>>;
let device: Awaited<ReturnType<typeof createDevice>>;
const pools: Record<string, number> = {};

beforeAll(async () => {
  admin = await callerAs(api, 'admin');
  for (const [name, numbers] of [
    ['cli', ['37060000001', '37060000002', '37060000003', '3706%']],
    ['valid', ['3706%', '#1000']],
    ['random', ['44200000001']],
  ] as const) {
    const pool = (await admin.numberPools.create({ name }))!;
    await admin.numberPools.addNumbers({ id: pool.id, numbers: [...numbers] });
    pools[name] = pool.id;
  }
  const user = await createUser(api.handle, { balance: '10' });
  device = await createDevice(api.handle, user.id);
  const tariff = await createTariff(api.handle, { name: 'U' });
  await createWholesaleRate(api.handle, tariff.id, { prefix: '44', price: '0.06' });
  await setUserTariff(api.handle, user.id, tariff.id);
});

const ask = (src?: string) =>
  admin.calls.authorize({ deviceId: device.id, dst: '442079460000', ...(src !== undefined ? { src } : {}) });

describe('number pools as CallerID sources', () => {
  it("presents a random concrete number of the device's CallerID pool on every call", async () => {
    expect((await ask()).callerId).toBeUndefined();
    expect(await admin.devices.setCallerIdPools({ id: device.id, numberPoolId: pools.cli! })).toEqual({
      deviceId: device.id,
      numberPoolId: pools.cli,
      validPoolId: null,
      randomPoolId: null,
    });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = await ask('123');
      expect(r.allowed).toBe(true);
      seen.add(r.callerId!);
    }
    // The three concrete numbers, never the pattern; 30 draws miss one with probability < 1e-5.
    expect([...seen].sort()).toEqual(['37060000001', '37060000002', '37060000003']);
  });

  it('keeps a CallerID found in the valid pool and replaces any other from the random pool', async () => {
    await admin.devices.setCallerIdPools({
      id: device.id,
      numberPoolId: null,
      validPoolId: pools.valid!,
      randomPoolId: pools.random!,
    });
    expect((await ask('37069999999')).callerId).toBeUndefined(); // matches 3706%
    expect((await ask('91000')).callerId).toBeUndefined(); // # stored as _: one character, then 1000
    expect((await ask('491000')).callerId).toBe('44200000001');
    expect((await ask('123')).callerId).toBe('44200000001');
    expect((await ask()).callerId).toBeUndefined(); // no CallerID sent: nothing to check
    const refused = await trpcError(() => admin.devices.setCallerIdPools({ id: device.id, randomPoolId: null }));
    expect(refused.message).toBe('validPoolId and randomPoolId are set together');
  });

  it("gives each provider's leg a number of the provider's pool", async () => {
    const tariff = await admin.tariffs.create({ name: 'P tariff', purpose: 'provider' });
    await admin.rates.upsertMany({ tariffId: tariff.id, rates: [{ prefix: '44', price: '0.01' }] });
    const p = await admin.providers.create({ name: 'P', tech: 'SIP', tariffId: String(tariff.id) });
    const lcr = await admin.lcrs.create({ name: 'Main' });
    await admin.lcrs.addProvider({ id: lcr.id, providerId: p.id });
    const [owner] = await api.handle.db.select({ userId: users.id }).from(users).where(eq(users.id, device.userId));
    await api.handle.db.update(users).set({ lcrId: lcr.id }).where(eq(users.id, owner!.userId));
    expect((await ask('123')).route.map((s) => s.src)).not.toContain('44200000001');
    expect(await admin.providers.setCallerIdPool({ id: p.id, numberPoolId: pools.random! })).toEqual({
      providerId: p.id,
      numberPoolId: pools.random,
    });
    expect((await ask('123')).route.map((s) => [s.providerId, s.src])).toEqual([[p.id, '44200000001']]);
  });

  it('refuses pools of another realm and pools in use cannot be deleted', async () => {
    const reseller = await createReseller(api.handle);
    const theirs = await callerAs(api, reseller.username);
    const foreign = (await theirs.numberPools.create({ name: 'theirs' }))!;
    const err = await trpcError(() => admin.devices.setCallerIdPools({ id: device.id, numberPoolId: foreign.id }));
    expect([err.code, err.message]).toEqual(['NOT_FOUND', 'Number Pool was not found']);
    const inUse = await trpcError(() => admin.numberPools.delete({ id: pools.random! }));
    expect(inUse.message).toBe('Number Pool was not deleted');
  });
});
