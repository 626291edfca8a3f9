/**
 * The data of the calls benchmarks (bench:calls-ingest, bench:calls-read), loaded through the public
 * tRPC API as an operator would: wholesale tariffs of ~1,000 prefixes, two resellers with their own
 * tariffs, users with a device each, and CDRs that are the same every time they are asked for.
 */
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import postgres from 'postgres';
import type { AppRouter } from '../src/admin/router.ts';

type Fetch = (url: string, init?: RequestInit) => Response | Promise<Response>;

/** A tRPC client of the admin API, one request per call, through `fetch` (in-process app or HTTP). */
export function clientOf(base: string, token: string, fetch: Fetch = globalThis.fetch) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        maxItems: 1,
        headers: { authorization: `Bearer ${token}` },
        fetch: async (url, init) => fetch(String(url), init as RequestInit),
      }),
    ],
  });
}
export type Client = ReturnType<typeof clientOf>;
export interface Realm {
  ownerId: number;
  client: Client;
  tariffId: number;
}

/** Country codes and a few longer prefixes under each: ~1,000 wholesale rates per tariff. */
export function prefixes(): string[] {
  const out: string[] = [];
  for (const cc of [
    '1',
    '7',
    '20',
    '27',
    '30',
    '31',
    '32',
    '33',
    '34',
    '36',
    '39',
    '40',
    '41',
    '43',
    '44',
    '45',
    '46',
    '47',
    '48',
    '49',
    '51',
    '52',
    '53',
    '54',
    '55',
    '56',
    '57',
    '58',
    '60',
    '61',
    '62',
    '63',
    '64',
    '65',
    '66',
    '81',
    '82',
    '84',
    '86',
    '90',
    '91',
    '92',
    '93',
    '94',
    '95',
    '98',
  ])
    for (let k = 0; k < 22; k++) out.push(k === 0 ? cc : `${cc}${k - 1}${k % 3}`);
  return [...new Set(out)];
}

const price = (seed: number) => `0.${String(1000 + ((seed * 7919) % 9000)).slice(0, 4)}`;

export async function wholesaleTariff(client: Client, name: string, currency: string, list: string[], salt: number) {
  const tariff = await client.tariffs.create.mutate({ name, purpose: 'user_wholesale', currency });
  await client.rates.upsertMany.mutate({
    tariffId: tariff.id,
    rates: list.map((prefix, i) => ({
      prefix,
      price: price(i + salt),
      connectionFee: i % 5 === 0 ? '0.01' : '0',
      increment: [1, 6, 30, 60][i % 4]!,
      minTime: i % 7 === 0 ? 30 : 0,
    })),
  });
  return tariff.id;
}

export interface Device {
  id: number;
  username: string;
}

/** `users` users (a third per realm) with a device each, 8 requests in flight. */
export async function loadUsers(
  admin: Client,
  realms: Realm[],
  users: number,
  log: (...a: unknown[]) => void,
): Promise<Device[]> {
  const devices: Device[] = new Array(users);
  let next = 0;
  const t = performance.now();
  const worker = async () => {
    for (let i = next++; i < users; i = next++) {
      const realm = realms[i % realms.length]!;
      const user = await realm.client.users.create.mutate({
        username: `bench_call_${i}`,
        password: `Bench-pass-${i}-x`,
      });
      await admin.users.update.mutate({ id: user.id, tariffId: realm.tariffId });
      const device = await admin.devices.create.mutate({ userId: user.id, description: `d${i}` });
      devices[i] = { id: device.id, username: device.username };
      if ((i + 1) % 1_000 === 0)
        log(`  ${(i + 1).toLocaleString()} users (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return devices;
}

/**
 * How the CDRs of a run are ordered. `time` (the default): as a switch posts them, each call when it
 * ends, so end times rise through the run (1,000,000 calls over 60 days: one every 5.2 s) and a call's
 * start is its end less its duration; the uniqueid is Asterisk's `<start epoch>.<sequence>`. `random`:
 * every batch spread over all 60 days with `bench-<n>` uniqueids, the shape measured before (a worst
 * case: every index insert lands on a random page).
 */
export type CallOrder = 'time' | 'random';

const SPAN_S = 60 * 86_400;

/** Batch `b` of the CDRs, the same every time it is asked (both the ingest and the COPY use it). */
export function batchOf(
  b: number,
  batch: number,
  total: number,
  devices: Device[],
  list: string[],
  order: CallOrder = 'time',
) {
  const start = Date.parse('2026-10-01T00:00:00Z');
  const calls = [];
  for (let k = 0; k < batch && b * batch + k < total; k++) {
    const n = b * batch + k;
    const h = Math.imul(n ^ 0x9e3779b9, 2654435761) >>> 0;
    const answered = h % 10 < 7;
    const billsec = answered ? 1 + (h % 600) : 0;
    const duration = billsec + (h % 13);
    const device = devices[h % devices.length]!;
    const calldate =
      order === 'random'
        ? start + (h % SPAN_S) * 1000
        : start + 600_000 + Math.floor((n * SPAN_S * 1000) / total) - duration * 1000;
    calls.push({
      uniqueid: order === 'random' ? `bench-${n}` : `${Math.floor(calldate / 1000)}.${n}`,
      calldate: new Date(calldate).toISOString(),
      duration,
      billsec,
      disposition: answered ? 'ANSWERED' : (['NO ANSWER', 'BUSY', 'FAILED'] as const)[h % 3]!,
      src: '1000',
      dst: `${list[(h >>> 8) % list.length]}${String(h).slice(-7)}`,
      deviceId: device.id,
    });
  }
  return calls;
}

/** The admin's wholesale tariff, two resellers with their own (created with their tokens) and a price. */
export async function loadRealms(
  admin: Client,
  client: (token: string) => Client,
): Promise<{ realms: Realm[]; list: string[] }> {
  const list = prefixes();
  await admin.currencies.create.mutate({ name: 'EUR', fullName: 'Euro', exchangeRate: '0.9' });
  const adminTariff = await wholesaleTariff(admin, 'Bench users', 'USD', list, 0);
  const resellerPrice = await wholesaleTariff(admin, 'Bench resellers', 'EUR', list, 17);
  const realms: Realm[] = [{ ownerId: 0, client: admin, tariffId: adminTariff }];
  for (const r of [1, 2]) {
    const { reseller } = await admin.resellers.create.mutate({
      username: `bench_reseller_${r}`,
      password: `Bench-reseller-${r}-x`,
      group: { name: `Bench resellers ${r}`, description: '' },
    });
    await admin.users.update.mutate({ id: reseller.id, tariffId: resellerPrice });
    const { token } = await admin.tokens.issue.mutate({ userId: reseller.id, name: 'bench' });
    const c = client(token);
    realms.push({
      ownerId: reseller.id,
      client: c,
      tariffId: await wholesaleTariff(c, `Bench R${r}`, 'USD', list, 31 * r),
    });
  }
  return { realms, list };
}

/** The devices of a set-up kept in `db` by an earlier run (null when there is none yet). */
export async function keptSetup(root: postgres.Sql, url: string, db: string): Promise<Device[] | null> {
  const [exists] = await root`select 1 from pg_database where datname = ${db}`;
  if (!exists) return null;
  const kept = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await kept.unsafe('select id, username from devices order by id')) as unknown as Device[];
  } finally {
    await kept.end();
  }
}
