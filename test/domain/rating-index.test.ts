import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { destinations, users } from '../../src/db/schema/index.ts';
import { sha1Hex } from '../../src/domain/crypto.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { getRate } from '../../src/domain/rating/getRate.ts';
import { callerAs, clientWith, ctxFor } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createTariff, createUser, createWholesaleRate, setConflines, setUserTariff } from '../helpers/factories.ts';
import { viaSqlAndIndex } from '../helpers/rateIndex.ts';

/*
 * The in-process rate index (src/domain/rating/cache): what invalidates it and how far, the write
 * barrier, its size cap, and time zones. Answers of both paths are compared in every rate_get test
 * (test/helpers/app.ts) and in the two lookup property tests; here are the rules around it.
 */

const api = useTestApp();
let username: string;
let userId: number;

/** rate_get straight to the app: no settle before it, as a real client's next request. */
async function rateGet(prefix: string, app = api.app) {
  const body = new URLSearchParams({
    u: 'admin',
    username,
    prefix,
    by_full_dst: '1',
    hash: await sha1Hex(username + TEST.apiSecretKey),
  });
  const response = await app.app.request('http://openmor.test/billing/api/rate_get', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return response.text();
}

/** Asks until the index answers (a miss loads in the background) and returns that answer. */
async function warm(prefix: string, app = api.app) {
  await rateGet(prefix, app);
  await app.rateIndex.idle();
  const { misses } = app.rateIndex.stats();
  const answer = await rateGet(prefix, app);
  expect(app.rateIndex.stats().misses).toBe(misses);
  return answer;
}

beforeAll(async () => {
  await setConflines(api.handle, 0, { allow_rate_over_http: '1' });
  const user = await createUser(api.handle);
  username = user.username;
  userId = user.id;
  api.changed();
});

describe('rate index', () => {
  it('answers a write on its very next request: XML, tRPC and another tariff left cached', async () => {
    const big = await createTariff(api.handle);
    for (let i = 0; i < 50; i++) await createWholesaleRate(api.handle, big.id, { prefix: `7${100 + i}`, price: '0.5' });
    const small = await createTariff(api.handle);
    await createWholesaleRate(api.handle, small.id, { prefix: '44', price: '0.1', name: 'UK' });
    await setUserTariff(api.handle, userId, big.id);
    await api.app.rateIndex.settle();
    expect(await warm('7101555')).toContain('<rate>0.5#Dest 7101#7101</rate>');
    await setUserTariff(api.handle, userId, small.id);
    await api.app.rateIndex.settle();
    expect(await warm('4420')).toContain('<rate>0.1#UK#44</rate>');
    const held = api.app.rateIndex.stats().heldRows;
    expect(held).toBe(51);

    // tRPC mutation on the small tariff: answered at once, and only that tariff is dropped.
    await clientWith(api, TEST.adminToken).rates.upsertMany.mutate({
      tariffId: small.id,
      rates: [{ prefix: '44', price: '0.2' }],
    });
    expect(api.app.rateIndex.stats().heldRows).toBe(50);
    expect(await rateGet('4420')).toContain('<rate>0.2#UK#44</rate>');
    expect(await warm('4420')).toContain('<rate>0.2#UK#44</rate>');

    // XML write (tariff_wholesale_update), then rate_get at once.
    const update = await api.call(
      'tariff_wholesale_update',
      { u: 'admin', id: String(small.id), rates: 'prefix,price\n44,0.3\n' },
      { hashOf: ['id'], as: 'form' },
    );
    expect(update.body).not.toContain('<error>');
    expect(await rateGet('4420')).toContain('<rate>0.3#UK#44</rate>');

    // XML user_details_update moves the user to the big tariff: its next rate_get prices from that one.
    const moved = await api.call(
      'user_details_update',
      { u: 'admin', user_id: String(userId), u5: String(big.id) },
      { hashOf: ['user_id', 'u5'] },
    );
    expect(moved.body).not.toContain('<error>');
    expect(await rateGet('7101555')).toContain('<rate>0.5#Dest 7101#7101</rate>');
  });

  it('drops destinations names and user tariffs when they change', async () => {
    const t = await createTariff(api.handle);
    await createWholesaleRate(api.handle, t.id, { prefix: '3706', price: '0.07', name: 'Lithuania mobile' });
    await setUserTariff(api.handle, userId, t.id);
    await api.app.rateIndex.settle();
    expect(await warm('37061234')).toContain('<rate>0.07#Lithuania mobile#3706</rate>');
    await api.handle.db.update(destinations).set({ name: 'LT mobile' }).where(eq(destinations.prefix, '3706'));
    await api.app.rateIndex.settle();
    expect(await warm('37061234')).toContain('<rate>0.07#LT mobile#3706</rate>');
    await setUserTariff(api.handle, userId, null);
    await api.app.rateIndex.settle();
    expect(await warm('37061234')).toContain('<error>Rate was not found</error>');
  });

  it('drops only the user whose lookup columns changed; a balance update drops nobody', async () => {
    const t = await createTariff(api.handle);
    await createWholesaleRate(api.handle, t.id, { prefix: '3801', price: '0.38' });
    const other = await createUser(api.handle);
    await setUserTariff(api.handle, userId, t.id);
    await setUserTariff(api.handle, other.id, t.id);
    const index = api.app.rateIndex;
    await index.settle();
    const ctx = await ctxFor(api, 'admin');
    const settings = { showRatesForUsers: true, allowResellersAdminTariffs: false };
    for (const name of [username, other.username]) {
      await viaSqlAndIndex(index, () => getRate(ctx, { username: name, prefix: '38011', byFullDst: true }, settings));
    }
    const held = index.stats().users;
    await api.handle.db.update(users).set({ balance: '12.5' }).where(eq(users.id, other.id));
    await index.settle();
    expect(index.stats().users).toBe(held);
    await api.handle.db.update(users).set({ timeZone: 'Tokyo' }).where(eq(users.id, other.id));
    await index.settle();
    expect(index.stats().users).toBe(held - 1);
    await api.handle.db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, other.id));
  });

  it('never holds more than RATE_INDEX_MAX_MB: a larger tariff is answered by SQL, correctly, and listed', async () => {
    const warnings: unknown[] = [];
    const log = { ...silentLog, warn: (...a: unknown[]) => warnings.push(a) };
    // 300 bytes: not even 6 rates fit.
    const small = await createApp({ handle: api.handle, log, cacheAuth: true, rateIndexMaxMb: 0.0003 });
    try {
      const t = await createTariff(api.handle);
      for (let i = 0; i < 6; i++)
        await createWholesaleRate(api.handle, t.id, { prefix: `8${10 + i}`, price: `0.${i}1` });
      await setUserTariff(api.handle, userId, t.id);
      await small.rateIndex.settle();
      await rateGet('8131', small);
      await small.rateIndex.idle();
      expect(await rateGet('8131', small)).toContain('<rate>0.31#Dest 813#813</rate>');
      expect(small.rateIndex.stats().heldRows).toBe(0);
      expect(small.rateIndex.stats().tooLarge).toEqual([{ what: `tariff ${t.id}`, rows: 6, mb: 1 }]);
      await rateGet('8131', small);
      await small.rateIndex.idle();
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).toContain('RATE_INDEX_MAX_MB');
    } finally {
      await small.close();
    }
  });

  it("matches bands on the user's wall clock, for MOR's Rails time-zone names too", async () => {
    const t = await createTariff(api.handle);
    await createWholesaleRate(api.handle, t.id, {
      prefix: '81',
      price: '0',
      bands: [
        { price: '1.00', daytype: 'WD' },
        { price: '2.00', daytype: 'FD' },
      ],
    });
    await setUserTariff(api.handle, userId, t.id);
    // Friday 20:00 UTC is Saturday 05:00 in Tokyo.
    const friday = new Date('2030-06-14T20:00:00Z');
    const ctx = { ...(await ctxFor(api, 'admin')), clock: () => friday };
    const legacy = () =>
      viaSqlAndIndex(ctx.rateIndex!, () =>
        getRate(
          ctx,
          { username, prefix: '81', byFullDst: false },
          { showRatesForUsers: true, allowResellersAdminTariffs: false },
        ),
      );
    expect((await legacy())[0]!.price).toBe('1.00');
    for (const zone of ['Tokyo', 'Asia/Tokyo']) {
      await api.handle.db.update(users).set({ timeZone: zone }).where(eq(users.id, userId));
      expect((await legacy())[0]!.price, zone).toBe('2.00');
    }
    await api.handle.db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, userId));
  });

  it('forgets everything on a notification it does not know (a reconnect may have lost some)', async () => {
    const t = await createTariff(api.handle);
    await createWholesaleRate(api.handle, t.id, { prefix: '90', price: '0.9' });
    await setUserTariff(api.handle, userId, t.id);
    await api.app.rateIndex.settle();
    await warm('901');
    expect(api.app.rateIndex.stats().tariffs).toBeGreaterThan(0);
    await api.handle.db.execute(sql`select pg_notify('openmor_rating', 'something new')`);
    await api.app.rateIndex.settle();
    expect(api.app.rateIndex.stats()).toMatchObject({ heldRows: 0, tariffs: 0 });
  });
});

describe('rate index under concurrency', () => {
  it('holds no stale rate once concurrent writes have settled, whatever the interleaving', async () => {
    const t = await createTariff(api.handle);
    const prefixes = Array.from({ length: 30 }, (_, i) => `6${String(i).padStart(2, '0')}`);
    for (const prefix of prefixes) await createWholesaleRate(api.handle, t.id, { prefix, price: '1' });
    await setUserTariff(api.handle, userId, t.id);
    const admin = await callerAs(api, 'admin');
    const ctx = await ctxFor(api, 'admin');
    const settings = { showRatesForUsers: true, allowResellersAdminTariffs: false };
    const read = (prefix: string) =>
      getRate(ctx, { username, prefix: `${prefix}1234`, byFullDst: true }, settings).catch(() => null);
    let price = 1;
    const writers = Array.from({ length: 12 }, async () => {
      for (let round = 0; round < 4; round++) {
        const subset = prefixes.filter(() => Math.random() < 0.4);
        if (subset.length === 0) continue;
        await admin.rates.upsertMany({
          tariffId: t.id,
          rates: subset.map((prefix) => ({ prefix, price: String(++price) })),
        });
      }
    });
    const readers = Array.from({ length: 12 }, async () => {
      for (let round = 0; round < 20; round++) await read(prefixes[Math.floor(Math.random() * prefixes.length)]!);
    });
    await Promise.all([...writers, ...readers]);
    for (const prefix of prefixes) {
      const lines = await viaSqlAndIndex(ctx.rateIndex!, () =>
        getRate(ctx, { username, prefix: `${prefix}1234`, byFullDst: true }, settings),
      );
      expect(lines).toHaveLength(1);
    }
  });
});
