import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { devices } from '../../src/db/schema/devices.ts';
import { users } from '../../src/db/schema/users.ts';
import { routeCall } from '../../src/domain/routing/routeCall.ts';
import { callerAs, ctxFor } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import {
  createCurrency,
  createDevice,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
let admin: Awaited<ReturnType<typeof callerAs>>;

/** A provider with a provider tariff holding `rates` (loaded through tariffs.create / rates.upsertMany). */
async function provider(
  name: string,
  rates: { prefix: string; price: string; connectionFee?: string; increment?: number; minTime?: number }[],
  currency?: string,
) {
  const tariff = await admin.tariffs.create({ name: `${name} tariff`, purpose: 'provider', currency });
  if (rates.length > 0) await admin.rates.upsertMany({ tariffId: tariff.id, rates });
  const p = await admin.providers.create({ name, tech: 'SIP', tariffId: String(tariff.id) });
  return { ...p, tariffId: tariff.id };
}

let p1: Awaited<ReturnType<typeof provider>>;
let p2: Awaited<ReturnType<typeof provider>>;
let p3: Awaited<ReturnType<typeof provider>>;
let lcrId: number;
let user: Awaited<ReturnType<typeof createUser>>;
let device: Awaited<ReturnType<typeof createDevice>>;

const route = async (dst: string, extra: { userSystemRate?: string; random?: () => number } = {}) => {
  // Fixtures write rows directly: this instance must have heard of them before it routes from its cache.
  await api.app.rateIndex.settle();
  return routeCall(await ctxFor(api, 'admin'), { deviceId: device.id, dst, ...extra });
};
const summary = (r: Awaited<ReturnType<typeof route>>) =>
  r.route.map((s) => [s.providerName, s.dst, s.systemRate, s.failover]);

beforeAll(async () => {
  admin = await callerAs(api, 'admin');
  await createCurrency(api.handle, 'EUR', '0.5');
  p1 = await provider('P1', [{ prefix: '44', price: '0.02', connectionFee: '0.01', increment: 30, minTime: 60 }]);
  // 0.005 EUR = 0.01 in the system currency, for the longer prefix.
  p2 = await provider(
    'P2',
    [
      { prefix: '4420', price: '0.005' },
      { prefix: '44', price: '0.5' },
    ],
    'EUR',
  );
  p3 = await provider('P3', [{ prefix: '37', price: '0.001' }]);
  const lcr = await admin.lcrs.create({ name: 'Main' });
  lcrId = lcr.id;
  for (const p of [p1, p2, p3]) await admin.lcrs.addProvider({ id: lcrId, providerId: p.id });
  user = await createUser(api.handle, { balance: '10' });
  await api.handle.db.update(users).set({ lcrId }).where(eq(users.id, user.id));
  device = await createDevice(api.handle, user.id);
  const userTariff = await createTariff(api.handle, { name: 'U' });
  await createWholesaleRate(api.handle, userTariff.id, { prefix: '44', price: '0.06' });
  await setUserTariff(api.handle, user.id, userTariff.id);
});

/** The provider side of the ingested calls whose uniqueid starts with `prefix`, in uniqueid order. */
const providerPrices = (prefix: string) =>
  queryRows<{ uniqueid: string; provider_rate: string; provider_billsec: number; provider_price: string }>(
    api.handle.db,
    sql`select uniqueid, provider_rate::text, provider_billsec, provider_price::text from calls
      where uniqueid like ${`${prefix}%`} order by uniqueid`,
  );

describe('routeCall', () => {
  it('orders by price (system currency, longest prefix per provider), leaves out providers without a rate', async () => {
    const r = await route('442079460000');
    expect(r.lcrId).toBe(lcrId);
    expect(summary(r)).toEqual([
      ['P2', '442079460000', '0.010000', false],
      ['P1', '442079460000', '0.020000', false],
    ]);
    expect(r.route[1]).toMatchObject({
      providerId: p1.id,
      tariffId: p1.tariffId,
      prefix: '44',
      rate: '0.02',
      connectionFee: '0.01',
      increment: 30,
      minTime: 60,
      currency: 'USD',
    });
    expect(r.route[0]).toMatchObject({ prefix: '4420', currency: 'EUR', rate: '0.005' });
    // Another destination: only P2's 44 rate (dearer) and P1.
    expect(summary(await route('4413'))).toEqual([
      ['P1', '4413', '0.020000', false],
      ['P2', '4413', '1.000000', false],
    ]);
  });

  it('priority, percent and quality orders; no_failover; the failover list comes last', async () => {
    await admin.lcrs.update({ id: lcrId, order: 'priority' });
    expect(summary(await route('442079460000')).map((s) => s[0])).toEqual(['P1', 'P2']);
    await api.handle.db.execute(
      sql`update lcrproviders set percent = 70 where lcr_id = ${lcrId} and provider_id = ${p2.id}`,
    );
    await admin.lcrs.update({ id: lcrId, order: 'percent' });
    // P1 has 0 %: never drawn first while P2 has a share, whatever the draw.
    for (const draw of [0, 0.5, 0.999])
      expect(summary(await route('442079460000', { random: () => draw })).map((s) => s[0])).toEqual(['P2', 'P1']);
    // 30 % / 70 % (link order P1, P2): a draw below 0.3 picks P1 first, above it P2.
    await api.handle.db.execute(
      sql`update lcrproviders set percent = 30 where lcr_id = ${lcrId} and provider_id = ${p1.id}`,
    );
    expect(summary(await route('442079460000', { random: () => 0.29 })).map((s) => s[0])).toEqual(['P1', 'P2']);
    expect(summary(await route('442079460000', { random: () => 0.31 })).map((s) => s[0])).toEqual(['P2', 'P1']);
    let p1First = 0;
    for (let i = 0; i < 200; i++) if ((await route('442079460000')).route[0]?.providerName === 'P1') p1First++;
    // Binomial(200, 0.3): mean 60, σ ≈ 6.5; ±4 σ.
    expect(p1First).toBeGreaterThan(34);
    expect(p1First).toBeLessThan(86);
    await api.handle.db.execute(
      sql`update lcrproviders set percent = 0 where lcr_id = ${lcrId} and provider_id = ${p1.id}`,
    );
    await api.handle.db.execute(sql`update providers set quality = 5 where id = ${p1.id}`);
    await admin.lcrs.update({ id: lcrId, order: 'quality' });
    expect(summary(await route('442079460000')).map((s) => s[0])).toEqual(['P1', 'P2']);
    const backup = await provider('Backup', [{ prefix: '4', price: '0.9' }]);
    await admin.lcrs.addProvider({ id: lcrId, providerId: backup.id, failover: true });
    expect(summary(await route('442079460000')).map((s) => [s[0], s[3]])).toEqual([
      ['P1', false],
      ['P2', false],
      ['Backup', true],
    ]);
    await admin.lcrs.update({ id: lcrId, noFailover: '1' });
    expect(summary(await route('442079460000')).map((s) => s[0])).toEqual(['P1']);
    await admin.lcrs.update({ id: lcrId, noFailover: '0', order: 'price' });
    await admin.lcrs.deleteProvider({ id: lcrId, providerId: backup.id, failover: true });
  });

  it('first provider percent limit (price order): dearer providers beyond the limit are skipped', async () => {
    // 4413: P1 0.02, P2 1.0 (system currency). P2 is 4 900 % dearer.
    await admin.lcrs.update({ id: lcrId, firstProviderPercentLimit: '4900' });
    expect(summary(await route('4413')).map((s) => s[0])).toEqual(['P1', 'P2']);
    await admin.lcrs.update({ id: lcrId, firstProviderPercentLimit: '4899.99' });
    expect(summary(await route('4413')).map((s) => s[0])).toEqual(['P1']);
    // Only in price order: priority order keeps both.
    await admin.lcrs.update({ id: lcrId, order: 'priority' });
    expect(summary(await route('4413')).map((s) => s[0])).toEqual(['P1', 'P2']);
    // The failover list is not cut by it.
    const backup = await provider('Backup2', [{ prefix: '4', price: '9' }]);
    await admin.lcrs.addProvider({ id: lcrId, providerId: backup.id, failover: true });
    await admin.lcrs.update({ id: lcrId, order: 'price' });
    expect(summary(await route('4413')).map((s) => s[0])).toEqual(['P1', 'Backup2']);
    await admin.lcrs.deleteProvider({ id: lcrId, providerId: backup.id, failover: true });
    await admin.lcrs.update({ id: lcrId, firstProviderPercentLimit: '0' });
    expect(summary(await route('4413')).map((s) => s[0])).toEqual(['P1', 'P2']);
  });

  it('provider rules give the number sent; a rule tariff reprices; loss calls are dropped unless allowed', async () => {
    await admin.providerRules.create({ providerId: p1.id, name: 'intl', cut: '44', add: '0044', suffix: '#' });
    const cheap = await admin.tariffs.create({ name: 'P2 via rule', purpose: 'provider' });
    await admin.rates.upsertMany({ tariffId: cheap.id, rates: [{ prefix: '44', price: '0.001' }] });
    await admin.providerRules.create({ providerId: p2.id, name: 'cheap', add: '9', tariffId: String(cheap.id) });
    const r = await route('4413');
    expect(summary(r)).toEqual([
      ['P2', '94413', '0.001000', false],
      ['P1', '00441' + '3#', '0.020000', false],
    ]);
    expect(r.route[0]).toMatchObject({ tariffId: cheap.id, currency: 'USD' });
    // The user pays 0.015: P1 (0.02) would lose money; with a 50 % margin P2 (0.001) still fits.
    await admin.lcrs.update({ id: lcrId, minimalRateMarginPercent: '50' });
    expect(summary(await route('4413', { userSystemRate: '0.015' })).map((s) => s[0])).toEqual(['P2']);
    await admin.lcrs.update({ id: lcrId, allowLossCalls: '1' });
    expect(summary(await route('4413', { userSystemRate: '0.015' })).map((s) => s[0])).toEqual(['P2', 'P1']);
    await admin.lcrs.update({ id: lcrId, allowLossCalls: '0', minimalRateMarginPercent: '0' });
    for (const rule of [
      ...(await admin.providerRules.list({ providerId: p1.id })),
      ...(await admin.providerRules.list({ providerId: p2.id })),
    ])
      await admin.providerRules.delete({ id: rule.id });
  });

  it("localizes by the device's location and Global (a rule may switch the LCR); no LCR, no route", async () => {
    // Through locations.create: Global (1) is written first, so the new location is not location 1.
    const loc = await admin.locations.create({ name: 'Office' });
    expect(loc.id).not.toBe(1);
    await api.handle.db.update(devices).set({ locationId: loc.id }).where(eq(devices.id, device.id));
    await admin.locationRules.create({ locationId: 1, name: 'intl', cut: '00', minlen: '5', maxlen: '30' });
    expect(summary(await route('00442079460000')).map((s) => [s[0], s[1]])).toEqual([
      ['P2', '442079460000'],
      ['P1', '442079460000'],
    ]);
    const only3 = await admin.lcrs.create({ name: 'Baltic' });
    await admin.lcrs.addProvider({ id: only3.id, providerId: p3.id });
    await admin.locationRules.create({ locationId: loc.id, name: 'lt', cut: '8', add: '370', lcrId: String(only3.id) });
    const r = await route('861234567');
    expect(r).toMatchObject({ lcrId: only3.id, localizedDst: '37061234567' });
    expect(summary(r)).toEqual([['P3', '37061234567', '0.001000', false]]);
    // The device location's rule wins over Global's (lower id) for the same number; Global's applies
    // where the location has none.
    await admin.locationRules.create({ locationId: 1, name: 'g0', cut: '0', add: '44', minlen: '5', maxlen: '30' });
    await admin.locationRules.create({
      locationId: loc.id,
      name: 'o0',
      cut: '0',
      add: '370',
      minlen: '5',
      maxlen: '30',
    });
    expect((await route('061234567')).localizedDst).toBe('37061234567');
    await api.handle.db.update(devices).set({ locationId: null }).where(eq(devices.id, device.id));
    expect((await route('061234567')).localizedDst).toBe('4461234567');
    await api.handle.db.update(devices).set({ locationId: loc.id }).where(eq(devices.id, device.id));
    // A combined rule naming a location group applies only to CallerIDs starting with a group prefix.
    const lt = await admin.locationGroups.create({ name: 'LT callers', prefixes: ['370'] });
    await admin.locationRules.create({
      locationId: loc.id,
      name: 'lt callers',
      lrType: 'combined',
      cut: '99',
      lcrId: String(only3.id),
      locationGroupId: String(lt.id),
    });
    const from = async (src: string) =>
      routeCall(await ctxFor(api, 'admin'), { deviceId: device.id, dst: '9937061234567', src });
    expect(await from('37060000000')).toMatchObject({ lcrId: only3.id, localizedDst: '37061234567' });
    expect(await from('4470000000')).toMatchObject({ lcrId, localizedDst: '9937061234567' });
    await admin.locationGroups.update({ id: lt.id, prefixes: ['370', '44'] });
    expect(await from('4470000000')).toMatchObject({ lcrId: only3.id });
    const noLcr = await createUser(api.handle);
    expect((await routeCall(await ctxFor(api, 'admin'), { userId: noLcr.id, dst: '4420' })).route).toEqual([]);
  });
});

describe('routeCall from the routing cache', () => {
  it('holds the account and the LCR, and drops them on every change routing reads', async () => {
    const index = api.app.rateIndex;
    const ctx = await ctxFor(api, 'admin');
    const bySql = async (dst: string) => {
      index.paused = true;
      return routeCall(ctx, { deviceId: device.id, dst }).finally(() => {
        index.paused = false;
      });
    };
    const shape = (r: Awaited<ReturnType<typeof route>>) => [r.lcrId, r.localizedDst, summary(r)];
    const dst = '442079460000';
    await route(dst);
    const cache = index.routingCache()!;
    expect(cache.size.accounts).toBeGreaterThan(0);
    expect(cache.size.lcrs).toBeGreaterThan(0);
    let before = shape(await bySql(dst));
    // Each change moves the answer; the cached route must move with it (after this instance heard it).
    const changes = [
      sql`update currencies set exchange_rate = 4 where name = 'EUR'`,
      sql`update lcrproviders set active = false where lcr_id = ${lcrId} and provider_id = ${p2.id}`,
      sql`update lcrproviders set active = true where lcr_id = ${lcrId} and provider_id = ${p2.id}`,
      sql`update providers set active = 0 where id = ${p1.id}`,
      sql`update providers set active = 1 where id = ${p1.id}`,
      sql`update lcrs set no_failover = 1 where id = ${lcrId}`,
      sql`update lcrs set no_failover = 0 where id = ${lcrId}`,
      sql`update currencies set exchange_rate = 0.5 where name = 'EUR'`,
      sql`update users set lcr_id = null where id = ${user.id}`,
      sql`update users set lcr_id = ${lcrId} where id = ${user.id}`,
    ];
    for (const [n, change] of changes.entries()) {
      await route(dst); // warm
      await api.handle.db.execute(change);
      const expected = shape(await bySql(dst));
      expect(expected, `change ${n} moves the answer`).not.toEqual(before);
      expect(shape(await route(dst)), `change ${n}`).toEqual(expected);
      before = expected;
    }
  });
});

describe('routeCall from the rate index', () => {
  it('routes exactly as the SQL path: bands by day type and hour, fees, increments, effective dates, currencies', async () => {
    // Random provider tariffs with time bands (work day / free day / all days), fees and dated rates.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    const lcr = await admin.lcrs.create({ name: 'Index vs SQL' });
    const past = new Date('2020-01-01T00:00:00Z');
    const future = new Date('2099-01-01T00:00:00Z');
    for (let p = 0; p < 4; p++) {
      const tariff = await createTariff(api.handle, {
        name: `IX${p}`,
        purpose: 'provider',
        currency: p === 3 ? 'EUR' : undefined,
      });
      for (const prefix of ['9', '91', '912', '9123', '92', '925', '93']) {
        if (rnd(4) === 0) continue;
        const band = () => ({
          price: `0.${rnd(1000)}`,
          connectionFee: rnd(2) ? '0' : `0.0${rnd(100)}`,
          increment: [1, 6, 30, 60][rnd(4)]!,
          minTime: [0, 0, 30, 60][rnd(4)]!,
        });
        const shapes = [
          [band()],
          [
            { ...band(), daytype: 'WD' as const, startTime: '08:00:00', endTime: '17:59:59' },
            { ...band(), daytype: '' as const },
          ],
          [
            { ...band(), daytype: 'FD' as const },
            { ...band(), daytype: 'WD' as const, startTime: '00:00:00', endTime: '11:59:59' },
            { ...band(), daytype: 'WD' as const, startTime: '12:00:00', endTime: '23:59:59' },
          ],
        ];
        await createWholesaleRate(api.handle, tariff.id, { prefix, ...band(), bands: shapes[rnd(3)]! });
        if (rnd(3) === 0)
          await createWholesaleRate(api.handle, tariff.id, {
            prefix,
            ...band(),
            effectiveFrom: rnd(2) ? past : future,
          });
      }
      const pr = await admin.providers.create({ name: `IX${p}`, tech: 'SIP', tariffId: String(tariff.id) });
      await admin.lcrs.addProvider({ id: lcr.id, providerId: pr.id });
    }
    const u = await createUser(api.handle, { balance: '10' });
    await api.handle.db.update(users).set({ lcrId: lcr.id }).where(eq(users.id, u.id));
    const d = await createDevice(api.handle, u.id);
    await api.app.rateIndex.settle();
    const ctx = await ctxFor(api, 'admin');
    const index = api.app.rateIndex;
    const moments = ['2024-03-04T07:30:00Z', '2024-03-04T12:00:00Z', '2024-03-04T20:15:00Z', '2024-03-09T10:00:00Z'];
    const numbers = ['9', '9123456', '912999', '9255', '93', '94', '8'];
    const both = async (dst: string, at: string) => {
      index.paused = true;
      const bySql = await routeCall(ctx, { deviceId: d.id, dst, at: new Date(at) }).finally(() => {
        index.paused = false;
      });
      return bySql;
    };
    // Warm: a first call starts the tariff loads.
    await routeCall(ctx, { deviceId: d.id, dst: '9' });
    await index.idle();
    const { hits, misses } = index.stats();
    let routed = 0;
    for (const at of moments) {
      for (const dst of numbers) {
        const bySql = await both(dst, at);
        const byIndex = await routeCall(ctx, { deviceId: d.id, dst, at: new Date(at) });
        expect(byIndex, `${dst} at ${at}`).toEqual(bySql);
        routed += bySql.route.length;
      }
    }
    expect(routed).toBeGreaterThan(20);
    // Every provider price came from memory (the SQL runs above were paused lookups, never counted).
    expect(index.stats().misses).toBe(misses);
    expect(index.stats().hits - hits).toBeGreaterThanOrEqual(routed);
  });
});

describe('calls.authorize and ingest', () => {
  it('authorize answers the route, without providers the user would lose money on', async () => {
    const a = await admin.calls.authorize({ deviceId: device.id, dst: '442079460000' });
    expect(a).toMatchObject({ allowed: true, rate: '0.06' });
    expect(a.route.map((s) => [s.providerId, s.dst])).toEqual([
      [p2.id, '442079460000'],
      [p1.id, '442079460000'],
    ]);
    const refused = await admin.calls.authorize({ deviceId: device.id, dst: '3712345' });
    expect(refused).toMatchObject({ allowed: false, route: [] });
  });

  it('prices an ingested call through a provider with its tariff (increment, minimal time, fee)', async () => {
    await admin.calls.ingest({
      calls: [
        {
          uniqueid: 'r-1',
          calldate: new Date().toISOString(),
          duration: 70,
          billsec: 61,
          disposition: 'ANSWERED',
          dst: '4413',
          deviceId: device.id,
          providerId: p1.id,
        },
        {
          uniqueid: 'r-2',
          calldate: new Date().toISOString(),
          duration: 70,
          billsec: 30,
          disposition: 'ANSWERED',
          dst: '442079460000',
          deviceId: device.id,
          providerId: p2.id,
        },
        {
          uniqueid: 'r-3',
          calldate: new Date().toISOString(),
          duration: 9,
          billsec: 0,
          disposition: 'NO ANSWER',
          dst: '4413',
          deviceId: device.id,
          providerId: p1.id,
        },
        {
          uniqueid: 'r-4',
          calldate: new Date().toISOString(),
          duration: 9,
          billsec: 9,
          disposition: 'ANSWERED',
          dst: '4413',
          deviceId: device.id,
          providerId: p3.id,
        },
      ],
    });
    const rows = await providerPrices('r-');
    expect(rows).toEqual([
      // 61 s billed by 30 s → 90 s: 0.01 + 0.02 × 90 / 60 = 0.04.
      { uniqueid: 'r-1', provider_rate: '0.020000', provider_billsec: 90, provider_price: '0.040000' },
      // 0.005 EUR × 30 / 60 = 0.0025 EUR = 0.005 in the system currency.
      { uniqueid: 'r-2', provider_rate: '0.010000', provider_billsec: 30, provider_price: '0.005000' },
      // Unanswered: not rated, like the user's price.
      { uniqueid: 'r-3', provider_rate: '0.000000', provider_billsec: 0, provider_price: '0.000000' },
      // P3 has no rate for 44: nothing.
      { uniqueid: 'r-4', provider_rate: '0.000000', provider_billsec: 0, provider_price: '0.000000' },
    ]);
    const [index] = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from pg_class where relname = 'calls_provider_id_calldate_idx'`,
    );
    expect(index!.n).toBe(1);
  });

  it('prices an ingested call with the tariff a matching provider rule switches to (dst, then src rule)', async () => {
    const viaRule = await admin.tariffs.create({ name: 'P1 via rule', purpose: 'provider' });
    await admin.rates.upsertMany({ tariffId: viaRule.id, rates: [{ prefix: '44', price: '0.004' }] });
    const viaSrc = await admin.tariffs.create({ name: 'P1 via src rule', purpose: 'provider' });
    await admin.rates.upsertMany({ tariffId: viaSrc.id, rates: [{ prefix: '44', price: '0.008' }] });
    // A dst rule for 4413… switching the tariff; a src rule for CallerIDs 370… switching to another.
    await admin.providerRules.create({
      providerId: p1.id,
      name: 'uk13',
      cut: '4413',
      add: '4413',
      tariffId: String(viaRule.id),
    });
    await admin.providerRules.create({
      providerId: p1.id,
      name: 'lt',
      cut: '370',
      add: '370',
      prType: 'src',
      tariffId: String(viaSrc.id),
    });
    const call = (uniqueid: string, dst: string, src = '') => ({
      uniqueid,
      calldate: new Date().toISOString(),
      duration: 60,
      billsec: 60,
      disposition: 'ANSWERED',
      dst,
      src,
      deviceId: device.id,
      providerId: p1.id,
    });
    const res = await admin.calls.ingest({
      calls: [
        call('t-1', '4413'),
        call('t-2', '442079460000'),
        call('t-3', '442079460000', '37061234567'),
        call('t-4', '4413', '37061234567'),
      ],
    });
    expect(res.inserted).toBe(4);
    const rows = await providerPrices('t-');
    expect(rows).toEqual([
      // The dst rule's tariff: 0.004 × 60 / 60 (increment 1, no fee).
      { uniqueid: 't-1', provider_rate: '0.004000', provider_billsec: 60, provider_price: '0.004000' },
      // No rule matches: P1's own tariff, 0.01 + 0.02 × 60 / 60.
      { uniqueid: 't-2', provider_rate: '0.020000', provider_billsec: 60, provider_price: '0.030000' },
      // The src rule matches the CallerID.
      { uniqueid: 't-3', provider_rate: '0.008000', provider_billsec: 60, provider_price: '0.008000' },
      // Both match: the dst rule's tariff first, as routeCall does.
      { uniqueid: 't-4', provider_rate: '0.004000', provider_billsec: 60, provider_price: '0.004000' },
    ]);
    // routeCall agrees on the tariff of the same number.
    const r = await route('4413');
    expect(r.route.find((s) => s.providerId === p1.id)).toMatchObject({ tariffId: viaRule.id, systemRate: '0.004000' });
  });
});
