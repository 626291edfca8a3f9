import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { users } from '../../src/db/schema/users.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createCurrency,
  createDestination,
  createDestinationGroup,
  createDevice,
  createReseller,
  createRetailRate,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
let tariffId: number;
let resellerTariff: number;

beforeAll(async () => {
  tariffId = (await createTariff(api.handle, { name: 'W' })).id;
  await createWholesaleRate(api.handle, tariffId, {
    prefix: '44',
    name: 'UK',
    price: '0.06',
    connectionFee: '0.1',
    increment: 30,
    minTime: 60,
  });
  await createCurrency(api.handle, 'EUR', '0.5');
  resellerTariff = (await createTariff(api.handle, { name: 'RW', currency: 'EUR' })).id;
  await createWholesaleRate(api.handle, resellerTariff, { prefix: '44', price: '0.03' });
});

async function subscriber(
  o: { balance?: string; postpaid?: boolean; credit?: string; ownerId?: number; tariff?: number | null } = {},
) {
  const u = await createUser(api.handle, { balance: o.balance ?? '1', ownerId: o.ownerId ?? 0 });
  await api.handle.db
    .update(users)
    .set({ postpaid: o.postpaid ?? false, credit: o.credit ?? '0' })
    .where(eq(users.id, u.id));
  await setUserTariff(api.handle, u.id, o.tariff === undefined ? tariffId : o.tariff);
  const d = await createDevice(api.handle, u.id);
  return { user: u, device: d };
}

const ask = (deviceId: number, dst = '442079460000') => admin().calls.authorize.query({ deviceId, dst });

/** Ingests one answered call of `billsec` seconds; answers the user's balance after it. */
async function charge(userId: number, call: { uniqueid: string; billsec: number; dst: string; deviceId: number }) {
  const at = new Date().toISOString();
  await admin().calls.ingest.mutate({
    calls: [{ ...call, calldate: at, duration: call.billsec, disposition: 'ANSWERED' }],
  });
  const [row] = await queryRows<{ balance: string }>(
    api.handle.db,
    sql`select balance::text from users where id = ${userId}`,
  );
  return row!.balance;
}

describe('calls.authorize', () => {
  it('answers how long the balance lasts at the rate ingest will charge', async () => {
    const { user, device } = await subscriber({ balance: '1' });
    // 0.1 + 0.06 × billed / 60 ≤ 1 → billed ≤ 900 s (a multiple of 30).
    expect(await admin().calls.authorize.query({ accountcode: device.username, dst: '+44 20 7946 0000' })).toEqual({
      allowed: true,
      maxSeconds: 900,
      rate: '0.06',
      connectionFee: '0.1',
      currency: 'USD',
      userId: user.id,
      deviceId: device.id,
      route: [],
    });
    // The call lasting maxSeconds costs exactly the balance.
    expect(await charge(user.id, { uniqueid: 'auth-1', billsec: 900, dst: '442079460000', deviceId: device.id })).toBe(
      '0.000000',
    );
    expect(await ask(device.id)).toMatchObject({ allowed: false, reason: 'insufficient_balance', maxSeconds: 0 });
  });

  it('adds the credit of postpaid users; credit -1 is unlimited (a day)', async () => {
    const postpaid = await subscriber({ balance: '0', postpaid: true, credit: '2' });
    expect((await ask(postpaid.device.id)).maxSeconds).toBe(1890);
    const unlimited = await subscriber({ balance: '-50', postpaid: true, credit: '-1' });
    expect((await ask(unlimited.device.id)).maxSeconds).toBe(86_400);
    const prepaidWithCredit = await subscriber({ balance: '0', credit: '5' });
    expect(await ask(prepaidWithCredit.device.id)).toMatchObject({ allowed: false, reason: 'insufficient_balance' });
  });

  it('prices a retail tariff band by band: an event, a first minute, then 6-second steps', async () => {
    const retail = (await createTariff(api.handle, { name: 'Retail', purpose: 'user' })).id;
    const group = await createDestinationGroup(api.handle, 'Germany');
    await createDestination(api.handle, { prefix: '49', groupId: group.id });
    await createRetailRate(api.handle, retail, group.id, [
      { price: '0.05', artype: 'event', from: 1 },
      { price: '0.30', from: 1, duration: 60, round: 60 },
      { price: '0.12', from: 61, duration: -1, round: 6 },
    ]);
    const { user, device } = await subscriber({ balance: '1', tariff: retail });
    // 0.05 + 0.30 for the first minute; 0.65 left buys 324 s at 0.12/min in 6 s steps (330 s would cost 0.66).
    expect(await ask(device.id, '4930123456')).toMatchObject({ allowed: true, maxSeconds: 384 });
    // Ingest charges the 384-second call 0.998 (385 seconds would cost 1.01).
    expect(
      await charge(user.id, { uniqueid: 'retail-384', billsec: 384, dst: '4930123456', deviceId: device.id }),
    ).toBe('0.002000');
    expect(await ask(device.id, '4930123456')).toMatchObject({ allowed: false, reason: 'insufficient_balance' });
  });

  it("limits a reseller's user by the reseller's money too", async () => {
    const reseller = await createReseller(api.handle, 'k', { balance: '0.02' });
    await setUserTariff(api.handle, reseller.id, resellerTariff);
    const { device } = await subscriber({ balance: '100', ownerId: reseller.id });
    // Reseller price: 0.03 EUR/min = 0.06 USD/min, per second: 0.02 USD buys 20 s.
    expect(await ask(device.id)).toMatchObject({ allowed: true, maxSeconds: 20 });
    await api.handle.db.update(users).set({ balance: '0' }).where(eq(users.id, reseller.id));
    expect(await ask(device.id)).toMatchObject({ allowed: false, reason: 'reseller_insufficient_balance' });
  });

  it('names why a call is refused', async () => {
    expect(await ask(9_999_999)).toEqual({
      allowed: false,
      reason: 'unknown_device',
      maxSeconds: 0,
      rate: '0',
      connectionFee: '0',
      currency: '',
      route: [],
    });
    const { device } = await subscriber();
    expect(await ask(device.id, '3712345')).toMatchObject({ allowed: false, reason: 'no_rate' });
    const orphan = await subscriber({ tariff: null });
    expect(await ask(orphan.device.id)).toMatchObject({ allowed: false, reason: 'no_tariff' });
    const blocked = await subscriber();
    await api.handle.db.update(users).set({ blocked: true }).where(eq(users.id, blocked.user.id));
    expect(await ask(blocked.device.id)).toMatchObject({ allowed: false, reason: 'user_blocked' });
    const capped = await subscriber({ balance: '10' });
    await api.handle.db.update(users).set({ maxCallRate: '0.05' }).where(eq(users.id, capped.user.id));
    expect(await ask(capped.device.id)).toMatchObject({ allowed: false, reason: 'max_call_rate' });
    const e = await trpcError(async () => (await callerAs(api, 'admin')).calls.authorize({ dst: '44' }));
    expect([e.code, e.message]).toEqual(['BAD_REQUEST', 'deviceId or accountcode is required']);
  });

  it("is the admin's", async () => {
    const reseller = await createReseller(api.handle);
    const e = await trpcError(async () =>
      (await callerAs(api, reseller.username)).calls.authorize({ deviceId: 1, dst: '44' }),
    );
    expect(e.code).toBe('FORBIDDEN');
  });
});

describe('calls.authorize from the rate index', () => {
  it('answers exactly as the SQL lookup: banded, dated wholesale tariffs of a user and its reseller', async () => {
    const past = new Date('2020-01-01T00:00:00Z');
    const future = new Date('2099-01-01T00:00:00Z');
    const userTariff = (await createTariff(api.handle, { name: 'IXU' })).id;
    const resTariff = (await createTariff(api.handle, { name: 'IXR', currency: 'EUR' })).id;
    for (const [t, scale] of [
      [userTariff, 2],
      [resTariff, 1],
    ] as const) {
      await createWholesaleRate(api.handle, t, {
        prefix: '37',
        price: `0.0${scale}`,
        bands: [
          {
            price: `0.1${scale}`,
            connectionFee: '0.05',
            increment: 60,
            daytype: 'WD',
            startTime: '08:00:00',
            endTime: '17:59:59',
          },
          { price: `0.0${scale}`, increment: 1, minTime: 30 },
        ],
      });
      await createWholesaleRate(api.handle, t, {
        prefix: '3706',
        price: `0.2${scale}`,
        increment: 6,
        effectiveFrom: past,
      });
      await createWholesaleRate(api.handle, t, { prefix: '3706', price: `0.9${scale}`, effectiveFrom: future });
      await createWholesaleRate(api.handle, t, {
        prefix: '3712',
        price: `0.3${scale}`,
        bands: [{ price: `0.3${scale}`, daytype: 'FD' }],
      });
    }
    const reseller = await createReseller(api.handle, 'ixr', { balance: '3' });
    await setUserTariff(api.handle, reseller.id, resTariff);
    const { device } = await subscriber({ balance: '2', ownerId: reseller.id, tariff: userTariff });
    const { device: own } = await subscriber({ balance: '0.5', tariff: userTariff });
    await api.app.rateIndex.settle();
    const index = api.app.rateIndex;
    const query = (deviceId: number, dst: string, at: string) => admin().calls.authorize.query({ deviceId, dst, at });
    await query(device.id, '37', '2024-03-04T10:00:00Z'); // starts the tariff loads
    await index.idle();
    const { misses } = index.stats();
    let allowed = 0;
    for (const at of ['2024-03-04T10:00:00Z', '2024-03-04T19:00:00Z', '2024-03-09T10:00:00Z']) {
      for (const dst of ['37', '370611', '3712', '371299', '38']) {
        for (const d of [device.id, own.id]) {
          index.paused = true;
          const bySql = await query(d, dst, at).finally(() => {
            index.paused = false;
          });
          const byIndex = await query(d, dst, at);
          expect(byIndex, `${dst} at ${at}`).toEqual(bySql);
          if (bySql.allowed) allowed++;
        }
      }
    }
    expect(allowed).toBeGreaterThan(10);
    // Every price came from memory.
    expect(index.stats().misses).toBe(misses);
  });
});

describe('activeCalls', () => {
  it('keeps a live call from start to end, then writes its CDR like ingest, once', async () => {
    const { user, device } = await subscriber({ balance: '5' });
    await api.handle.db.update(users).set({ callLimit: 1 }).where(eq(users.id, user.id));
    const started = await admin().activeCalls.start.mutate({
      uniqueid: 'live-1',
      deviceId: device.id,
      src: '1001',
      dst: '442079460000',
      startTime: '2026-12-01T10:00:00Z',
    });
    expect(started).toMatchObject({ allowed: true, maxSeconds: 4890, id: expect.any(Number) });
    // Started again: the same row. A second call of the user: over its call limit.
    expect((await admin().activeCalls.start.mutate({ uniqueid: 'live-1', deviceId: device.id, dst: '4420' })).id).toBe(
      started.id,
    );
    expect(
      await admin().activeCalls.start.mutate({ uniqueid: 'live-2', deviceId: device.id, dst: '442079460000' }),
    ).toMatchObject({ allowed: false, reason: 'call_limit', id: null });
    const live = async () =>
      queryRows<Record<string, unknown>>(
        api.handle.db,
        sql`select uniqueid, user_id, src_device_id, max_seconds, answer_time is not null as answered from active_calls where user_id = ${user.id}`,
      );
    expect(await live()).toEqual([
      { uniqueid: 'live-1', user_id: user.id, src_device_id: device.id, max_seconds: 4890, answered: false },
    ]);
    await admin().activeCalls.answer.mutate({ uniqueid: 'live-1', answerTime: '2026-12-01T10:00:10Z' });
    expect((await live())[0]).toMatchObject({ answered: true });
    expect(await admin().activeCalls.end.mutate({ uniqueid: 'live-1', endTime: '2026-12-01T10:01:40Z' })).toEqual({
      inserted: 1,
      duplicates: 0,
      rejected: [],
    });
    expect(await live()).toEqual([]);
    const [cdr] = await queryRows<Record<string, unknown>>(
      api.handle.db,
      sql`select duration, billsec, disposition, user_billsec, user_price::text, src from calls where uniqueid = 'live-1'`,
    );
    expect(cdr).toEqual({
      duration: 100,
      billsec: 90,
      disposition: 'ANSWERED',
      user_billsec: 90,
      user_price: '0.190000',
      src: '1001',
    });
    expect(await admin().activeCalls.end.mutate({ uniqueid: 'live-1' })).toEqual({
      inserted: 0,
      duplicates: 1,
      rejected: [],
    });
    const [u] = await queryRows<{ balance: string }>(
      api.handle.db,
      sql`select balance::text from users where id = ${user.id}`,
    );
    expect(u!.balance).toBe('4.810000');
    const e = await trpcError(async () => (await callerAs(api, 'admin')).activeCalls.answer({ uniqueid: 'nope' }));
    expect([e.code, e.message]).toEqual(['NOT_FOUND', 'No such active call']);
  });
});
