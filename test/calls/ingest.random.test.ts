import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { users } from '../../src/db/schema/users.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createCurrency,
  createCustomRate,
  createDestination,
  createDestinationGroup,
  createDevice,
  createReseller,
  createRetailRate,
  createTariff,
  createUser,
  createWholesaleRate,
} from '../helpers/factories.ts';

/*
 * Randomized: calls (with duplicates and bad rows) for users of the admin's realm and of two resellers,
 * through calls.ingest in batches. Every stored price is checked against a brute-force reference
 * written here from the fixtures alone (exact rationals, no SQL), and every balance against the sum of
 * the expected charges and the ledger (reconcile).
 */

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const SEED = Number(process.env.CALLS_SEED ?? Date.now() % 1_000_000);

// ---- exact arithmetic ----
interface Q {
  n: bigint;
  d: bigint;
}
const TEN6 = 1_000_000n;
function dec(s: string): Q {
  const [i, f = ''] = s.split('.');
  return { n: BigInt(i! + f), d: 10n ** BigInt(f.length) };
}
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const mul = (a: Q, k: number): Q => ({ n: a.n * BigInt(k), d: a.d });
const div = (a: Q, b: Q): Q => ({ n: a.n * b.d, d: a.d * b.n });
const divN = (a: Q, k: number): Q => ({ n: a.n, d: a.d * BigInt(k) });
const ZERO: Q = { n: 0n, d: 1n };
/** Rounded half up to 6 decimals (values are never negative), as micro-units. */
const round6 = (q: Q): bigint => (q.n * TEN6 * 2n + q.d) / (2n * q.d);
const text6 = (micro: bigint) => {
  const neg = micro < 0n;
  const m = neg ? -micro : micro;
  return `${neg ? '-' : ''}${m / TEN6}.${(m % TEN6).toString().padStart(6, '0')}`;
};

// ---- PRNG ----
let state = SEED;
function rnd(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

// ---- the model the reference prices from ----
interface WBand {
  price: string;
  connectionFee: string;
  increment: number;
  minTime: number;
  daytype: '' | 'WD' | 'FD';
  startTime: string;
  endTime: string;
}
interface RBand {
  price: string;
  from: number;
  duration: number;
  artype: 'minute' | 'event';
  round: number;
  daytype: '' | 'WD' | 'FD';
  startTime: string;
  endTime: string;
}
interface TariffModel {
  id: number;
  purpose: 'user' | 'user_wholesale' | 'provider';
  rate: string; // exchange rate of its currency
  wholesale: { prefix: string; effectiveFrom: Date | null; bands: WBand[] }[];
  retail: Map<number, RBand[]>;
}
interface UserModel {
  id: number;
  ownerId: number;
  tariff: TariffModel | null;
  zone: string;
  ownRate: string;
  custom: Map<number, RBand[]>;
  balance: Q;
  devices: number[];
}

const tariffsById = new Map<number, TariffModel>();
const usersById = new Map<number, UserModel>();
const destinations: { prefix: string; groupId: number }[] = [];
const EXCHANGE: Record<string, string> = { USD: '1', EUR: '0.5', GBP: '0.8', CHF: '1.25' };

const wb = (price: string, o: Partial<WBand> = {}): WBand => ({
  price,
  connectionFee: '0',
  increment: 1,
  minTime: 0,
  daytype: '',
  startTime: '00:00:00',
  endTime: '23:59:59',
  ...o,
});
const rb = (price: string, o: Partial<RBand> = {}): RBand => ({
  price,
  from: 1,
  duration: -1,
  artype: 'minute',
  round: 1,
  daytype: '',
  startTime: '00:00:00',
  endTime: '23:59:59',
  ...o,
});

async function tariff(purpose: TariffModel['purpose'], currency: string, ownerId = 0): Promise<TariffModel> {
  const row = await createTariff(api.handle, { purpose, currency, ownerId });
  const t: TariffModel = { id: row.id, purpose, rate: EXCHANGE[currency]!, wholesale: [], retail: new Map() };
  tariffsById.set(t.id, t);
  return t;
}
async function wholesale(t: TariffModel, prefix: string, bands: WBand[], effectiveFrom: Date | null = null) {
  await createWholesaleRate(api.handle, t.id, { prefix, bands, price: '0', effectiveFrom });
  t.wholesale.push({ prefix, effectiveFrom, bands });
}
async function retail(t: TariffModel, groupId: number, bands: RBand[]) {
  await createRetailRate(api.handle, t.id, groupId, bands);
  t.retail.set(groupId, bands);
}
async function user(
  ownerId: number,
  t: TariffModel | null,
  o: { zone?: string; currency?: string; usertype?: 'user' | 'reseller' } = {},
): Promise<UserModel> {
  const balance = `${int(0, 50)}.${int(0, 99)}`;
  const row =
    o.usertype === 'reseller'
      ? await createReseller(api.handle, 'k', { balance })
      : await createUser(api.handle, { ownerId, balance });
  const currencyId = o.currency
    ? (await queryRows<{ id: number }>(api.handle.db, sql`select id from currencies where name = ${o.currency}`))[0]!.id
    : 1;
  await api.handle.db
    .update(users)
    .set({ tariffId: t?.id ?? null, timeZone: o.zone ?? 'UTC', currencyId })
    .where(eq(users.id, row.id));
  const devices = [(await createDevice(api.handle, row.id)).id, (await createDevice(api.handle, row.id)).id];
  const m: UserModel = {
    id: row.id,
    ownerId,
    tariff: t,
    zone: o.zone ?? 'UTC',
    ownRate: EXCHANGE[o.currency ?? 'USD']!,
    custom: new Map(),
    balance: dec(balance),
    devices,
  };
  usersById.set(m.id, m);
  return m;
}
async function custom(u: UserModel, groupId: number, bands: RBand[]) {
  await createCustomRate(api.handle, u.id, groupId, bands);
  u.custom.set(groupId, bands);
}

// ---- the brute-force reference ----
const ZONES: Record<string, string> = {
  UTC: 'UTC',
  Tokyo: 'Asia/Tokyo',
  'Pacific Time (US & Canada)': 'America/Los_Angeles',
};
function wallClock(at: Date, zone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONES[zone],
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return {
    dayType: get('weekday') === 'Sat' || get('weekday') === 'Sun' ? 'FD' : 'WD',
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  };
}
function inEffect<B extends { daytype: string; startTime: string; endTime: string }>(
  bands: B[],
  clock: { dayType: string; time: string },
) {
  const now = bands.filter(
    (b) => (b.daytype === '' || b.daytype === clock.dayType) && b.startTime <= clock.time && clock.time <= b.endTime,
  );
  const specific = now.some((b) => b.daytype !== '');
  return now.filter((b) => (b.daytype !== '') === specific);
}

type Priced = { rate: bigint; billed: number; price: bigint; prefix: string } | 'no_rate' | 'no_tariff';

function priceFor(payer: UserModel, digits: string, at: Date, billsec: number): Priced {
  const t = payer.tariff;
  if (!t || t.purpose === 'provider') return 'no_tariff';
  const clock = wallClock(at, payer.zone);
  if (t.purpose === 'user_wholesale') {
    let best: TariffModel['wholesale'][number] | null = null;
    for (const r of t.wholesale) {
      if (!digits.startsWith(r.prefix)) continue;
      if (r.effectiveFrom && r.effectiveFrom > at) continue;
      if (
        !best ||
        r.prefix.length > best.prefix.length ||
        (r.prefix.length === best.prefix.length &&
          (r.effectiveFrom?.getTime() ?? -1) > (best.effectiveFrom?.getTime() ?? -1))
      )
        best = r;
    }
    if (!best) return 'no_rate';
    const bands = inEffect(best.bands, clock).sort((a, b) => (a.startTime < b.startTime ? -1 : 1));
    const band = bands[0];
    if (!band) return 'no_rate';
    const billed = billsec === 0 ? 0 : Math.max(band.minTime, Math.ceil(billsec / band.increment) * band.increment);
    const price = billsec === 0 ? ZERO : add(dec(band.connectionFee), divN(mul(dec(band.price), billed), 60));
    return convert(dec(band.price), billed, price, t.rate, best.prefix);
  }
  let dest: (typeof destinations)[number] | null = null;
  for (const d of destinations)
    if (digits.startsWith(d.prefix) && (!dest || d.prefix.length > dest.prefix.length)) dest = d;
  if (!dest || dest.groupId === 0) return 'no_rate';
  const own = payer.custom.get(dest.groupId);
  const chosen = own && own.length > 0 ? own : t.retail.get(dest.groupId);
  if (!chosen) return 'no_rate';
  const bands = inEffect(chosen, clock);
  if (bands.length === 0) return 'no_rate';
  let billed = 0;
  let price = ZERO;
  for (const b of bands) {
    if (b.artype === 'event') {
      if (billsec > 0 && billsec >= b.from) price = add(price, dec(b.price));
      continue;
    }
    const end = b.duration === -1 ? billsec : b.from + b.duration - 1;
    const secs = billsec === 0 ? 0 : Math.ceil(Math.max(0, Math.min(billsec, end) - (b.from - 1)) / b.round) * b.round;
    billed += secs;
    price = add(price, divN(mul(dec(b.price), secs), 60));
  }
  const first = [...bands].sort((a, b) =>
    a.artype !== b.artype
      ? a.artype === 'minute'
        ? -1
        : 1
      : a.startTime < b.startTime
        ? -1
        : a.startTime > b.startTime
          ? 1
          : a.from - b.from,
  )[0]!;
  return convert(dec(first.price), billed, price, own && own.length > 0 ? payer.ownRate : t.rate, dest.prefix);
}
function convert(rate: Q, billed: number, price: Q, exchange: string, prefix: string): Priced {
  const x = dec(exchange);
  const p6: Q = { n: round6(price), d: TEN6 };
  return { rate: round6(div(rate, x)), billed, price: round6(div(p6, x)), prefix };
}

// ---- fixtures ----
const NUMBERS = [
  '4420794600',
  '4479111222',
  '44791',
  '4479',
  '447000',
  '3315550000',
  '331',
  '3344000',
  '3491234567',
  '3591234',
  '1212555000',
  '49301234',
];

beforeAll(async () => {
  await createCurrency(api.handle, 'EUR', EXCHANGE.EUR!);
  await createCurrency(api.handle, 'GBP', EXCHANGE.GBP!);
  await createCurrency(api.handle, 'CHF', EXCHANGE.CHF!);
  const g1 = await createDestinationGroup(api.handle, 'France');
  const g2 = await createDestinationGroup(api.handle, 'Spain');
  for (const [prefix, groupId] of [
    ['33', g1.id],
    ['331', g1.id],
    ['34', g2.id],
    ['35', 0],
    ['44', g2.id],
  ] as const) {
    await createDestination(api.handle, { prefix, groupId });
    destinations.push({ prefix, groupId });
  }

  // Admin's tariffs.
  const a1 = await tariff('user_wholesale', 'USD');
  await wholesale(a1, '44', [wb('0.0612', { connectionFee: '0.015', increment: 30, minTime: 60 })]);
  await wholesale(a1, '44', [wb('0.0577', { increment: 6 })], new Date('2026-11-01T00:00:00Z'));
  await wholesale(a1, '44', [wb('9.99')], new Date('2027-06-01T00:00:00Z'));
  await wholesale(a1, '447', [
    wb('0.2013', { increment: 10, minTime: 20 }),
    wb('0.1500', { daytype: 'WD', startTime: '08:00:00', endTime: '19:59:59', increment: 60 }),
    wb('0.0999', { daytype: 'FD' }),
  ]);
  await wholesale(a1, '4479', [wb('0.33', { connectionFee: '0.05' })]);
  await wholesale(a1, '1', [wb('0.0101', { increment: 15, minTime: 30 })]);
  const a2 = await tariff('user_wholesale', 'EUR');
  await wholesale(a2, '44', [wb('0.031', { increment: 1 })]);
  await wholesale(a2, '33', [wb('0.0457', { connectionFee: '0.0033', increment: 7, minTime: 13 })]);
  const ar = await tariff('user', 'CHF');
  await retail(ar, g1.id, [
    rb('0.2', { artype: 'event' }),
    rb('0.5', { duration: 60, round: 60 }),
    rb('0.3', { from: 61, round: 5 }),
  ]);
  await retail(ar, g2.id, [rb('0.4', { daytype: 'WD' }), rb('0.1', { daytype: 'FD', round: 30 })]);
  const provider = await tariff('provider', 'USD');
  await wholesale(provider, '44', [wb('0.001')]);

  // Resellers and their tariffs.
  const r1 = await user(0, a2, { usertype: 'reseller', zone: 'Tokyo' });
  const r2 = await user(0, ar, { usertype: 'reseller' });
  await custom(r2, g1.id, [rb('0.15', { round: 10 })]);
  const t1 = await tariff('user_wholesale', 'GBP', r1.id);
  await wholesale(t1, '44', [wb('0.08', { increment: 60 })]);
  await wholesale(t1, '4479', [wb('0.4', { connectionFee: '0.1', minTime: 30, increment: 3 })]);
  await wholesale(t1, '33', [wb('0.09', { increment: 20, daytype: 'WD' }), wb('0.07', { increment: 20 })]);
  const t2 = await tariff('user', 'EUR', r2.id);
  await retail(t2, g1.id, [rb('0.6', { round: 30 })]);
  await retail(t2, g2.id, [rb('0.25', { artype: 'event' }), rb('0.55', { round: 6 })]);

  // Users.
  await user(0, a1);
  await user(0, a1, { zone: 'Pacific Time (US & Canada)' });
  await user(0, a2, { zone: 'Tokyo' });
  const arUser = await user(0, ar, { currency: 'EUR' });
  await custom(arUser, g2.id, [rb('0.35', { daytype: 'WD', round: 60 }), rb('0.05', { daytype: 'FD' })]);
  await user(0, null);
  await user(0, provider);
  await user(r1.id, t1);
  await user(r1.id, t1, { zone: 'Pacific Time (US & Canada)' });
  await user(r1.id, null);
  await user(r2.id, t2);
  const r2u = await user(r2.id, t2, { zone: 'Tokyo', currency: 'GBP' });
  await custom(r2u, g1.id, [rb('0.11', { artype: 'event' }), rb('0.21', { round: 15 })]);
  await user(r2.id, a1); // an admin tariff on a reseller's user: rated as the admin assigned it
  // Wholesale rates created destinations of their own (ungrouped unless listed above).
  for (const row of await queryRows<{ prefix: string; g: number }>(
    api.handle.db,
    sql`select prefix, destinationgroup_id as g from destinations`,
  ))
    if (!destinations.some((d) => d.prefix === row.prefix)) destinations.push({ prefix: row.prefix, groupId: row.g });
});

describe(`calls.ingest, randomized (CALLS_SEED=${SEED})`, () => {
  it('prices every call as the brute-force reference, charges it once, and the books balance', async () => {
    const all = [...usersById.values()];
    const devices = all.flatMap((u) => u.devices.map((d) => ({ d, u })));
    const sent: Record<string, unknown>[] = [];
    const valid: Record<string, unknown>[] = [];
    const TOTAL = 450;
    for (let n = 0; n < TOTAL; n++) {
      const roll = rnd();
      if (roll < 0.1 && valid.length > 0) {
        // A duplicate: same uniqueid, possibly other contents (the first one stored wins).
        sent.push({ ...pick(valid), billsec: int(0, 30), duration: 40 });
        continue;
      }
      const { d } = pick(devices);
      const answered = rnd() < 0.7;
      const billsec = answered ? pick([0, 1, 5, 13, 29, 30, 31, 59, 60, 61, 90, 119, 121, 600, int(1, 900)]) : 0;
      const call: Record<string, unknown> = {
        uniqueid: `${SEED}-${n}`,
        calldate: new Date(Date.UTC(2026, 9, 1) + Math.floor(rnd() * 61 * 86_400) * 1000).toISOString(),
        duration: billsec + int(0, 20),
        billsec,
        disposition: answered ? 'ANSWERED' : pick(['NO ANSWER', 'BUSY', 'FAILED']),
        src: '100',
        dst: pick(NUMBERS),
        deviceId: d,
      };
      if (roll > 0.95) {
        sent.push(
          pick([
            { ...call, disposition: 'MAYBE' },
            { ...call, deviceId: 9_999_999 },
            { ...call, billsec: (call.duration as number) + 1 },
          ]),
        );
        continue;
      }
      sent.push(call);
      valid.push(call);
    }

    // Expected outcome, in order: the first valid row with a uniqueid is stored, later ones are duplicates.
    const firsts = new Map<string, Record<string, unknown>>();
    let rejected = 0;
    let duplicates = 0;
    for (const c of sent) {
      const bad =
        c.disposition === 'MAYBE' || c.deviceId === 9_999_999 || (c.billsec as number) > (c.duration as number);
      if (bad) rejected++;
      else if (firsts.has(c.uniqueid as string)) duplicates++;
      else firsts.set(c.uniqueid as string, c);
    }

    let got = { inserted: 0, duplicates: 0, rejected: 0 };
    for (let i = 0; i < sent.length; i += 150) {
      const r = await admin().calls.ingest.mutate({ calls: sent.slice(i, i + 150) });
      got = {
        inserted: got.inserted + r.inserted,
        duplicates: got.duplicates + r.duplicates,
        rejected: got.rejected + r.rejected.length,
      };
    }
    // Sending everything again stores and charges nothing more.
    const again = await admin().calls.ingest.mutate({ calls: [...firsts.values()] });
    expect(again).toEqual({ inserted: 0, duplicates: firsts.size, rejected: [] });
    expect(got).toEqual({ inserted: firsts.size, duplicates, rejected });

    const deviceOwner = new Map(devices.map(({ d, u }) => [d, u]));
    const stored = await queryRows<Record<string, string | number | null>>(
      api.handle.db,
      sql`select uniqueid, user_id, reseller_id, rating_status, user_rate::text, user_billsec, user_price::text,
        reseller_rate::text, reseller_billsec, reseller_price::text, prefix from calls where uniqueid like ${`${SEED}-%`}`,
    );
    expect(stored).toHaveLength(firsts.size);
    const byUid = new Map(stored.map((s) => [s.uniqueid as string, s]));
    const statuses: Record<string, number> = {};
    for (const [uid, c] of firsts) {
      const u = deviceOwner.get(c.deviceId as number)!;
      const reseller = u.ownerId === 0 ? null : usersById.get(u.ownerId)!;
      const at = new Date(c.calldate as string);
      const digits = c.dst as string;
      const billsec = c.billsec as number;
      let want: Record<string, unknown>;
      if (c.disposition !== 'ANSWERED') {
        want = { rating_status: 'unanswered', user_price: '0.000000', reseller_price: '0.000000' };
      } else {
        const up = priceFor(u, digits, at, billsec);
        const rp = reseller ? priceFor(reseller, digits, at, billsec) : null;
        const status =
          up === 'no_tariff' || rp === 'no_tariff'
            ? 'no_tariff'
            : up === 'no_rate' || rp === 'no_rate'
              ? 'no_rate'
              : 'rated';
        if (status !== 'rated' || typeof up === 'string' || (rp !== null && typeof rp === 'string')) {
          want = { rating_status: status, user_price: '0.000000', reseller_price: '0.000000', user_billsec: 0 };
        } else {
          want = {
            rating_status: 'rated',
            prefix: up.prefix,
            user_rate: text6(up.rate),
            user_billsec: up.billed,
            user_price: text6(up.price),
            reseller_rate: rp ? text6(rp.rate) : '0.000000',
            reseller_billsec: rp ? rp.billed : 0,
            reseller_price: rp ? text6(rp.price) : '0.000000',
          };
          u.balance = add(u.balance, { n: -up.price, d: TEN6 });
          if (reseller && rp) reseller.balance = add(reseller.balance, { n: -rp.price, d: TEN6 });
        }
      }
      statuses[want.rating_status as string] = (statuses[want.rating_status as string] ?? 0) + 1;
      expect({ uid, ...byUid.get(uid) }).toMatchObject({
        uid,
        user_id: u.id,
        reseller_id: reseller?.id ?? null,
        ...want,
      });
    }
    // The sample covers every outcome.
    expect(Object.keys(statuses).sort()).toEqual(['no_rate', 'no_tariff', 'rated', 'unanswered']);

    const balances = await queryRows<{ id: number; balance: string }>(
      api.handle.db,
      sql`select id, balance::text from users where id = any(${`{${[...usersById.keys()].join(',')}}`}::int[])`,
    );
    for (const b of balances)
      expect({ id: b.id, balance: b.balance }).toEqual({
        id: b.id,
        balance: text6((usersById.get(b.id)!.balance.n * TEN6) / usersById.get(b.id)!.balance.d),
      });
    expect((await admin().ledger.reconcile.query()).differences).toEqual([]);
    const [charged] = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from ledger where source = 'call'`,
    );
    const calls = stored.filter((s) => s.user_price !== '0.000000').length;
    const resellerCalls = stored.filter((s) => s.reseller_price !== '0.000000').length;
    expect(charged!.n).toBe(calls + resellerCalls);
  });
});
