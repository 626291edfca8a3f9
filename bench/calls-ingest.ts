/**
 * `npm run bench:calls-ingest` — CDR ingestion at scale, on a throwaway Postgres database, through the
 * real app (createApp + app.request, no network):
 *   1. through the public tRPC API: two resellers (each with the admin's tariff for its own price), an
 *      admin wholesale tariff and one per reseller (created with the reseller's token), USERS users
 *      (a third in the admin's realm, a third per reseller) with a device each;
 *   2. times CALLS CDRs (70 % answered, 60 days, numbers over every prefix) through `calls.ingest` in
 *      batches of BATCH (target: 1,000,000 in ≤ 60 s), rated for user and reseller and charged;
 *   3. checks: every call stored once, rated calls priced, the books balance (ledger.reconcile);
 *   4. in the same run, the ceiling: a plain COPY of the same CDRs into an unindexed table; prints
 *      ingest / COPY throughput (target ≥ 0.25).
 * Prints figures and ratios; never passes or fails (other work on the machine skews absolute numbers).
 * Users are created through users.create, whose PBKDF2 dominates the set-up: use USERS to shrink it
 * on a busy machine (the calls still spread over every user).
 *
 *   CALLS=1000000 USERS=10000 BATCH=5000 CONCURRENCY=2 npm run bench:calls-ingest
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { AppRouter } from '../src/admin/router.ts';
import { createApp } from '../src/app.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryRows } from '../src/db/rows.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';

const CALLS = Number(process.env.CALLS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 10_000);
const BATCH = Number(process.env.BATCH ?? 5_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 2);
const TARGET_S = 60;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `bench-${randomBytes(8).toString('hex')}`;
const config = benchConfig({ MOR_ADMIN_TOKEN: TOKEN });
const log = (...a: unknown[]) => console.log(`[bench:calls-ingest ${new Date().toISOString().slice(11, 19)}]`, ...a);

type App = { request: (url: string, init?: RequestInit) => Response | Promise<Response> };
function clientOf(app: App, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: 'http://bench/trpc',
        maxItems: 1,
        headers: { authorization: `Bearer ${token}` },
        fetch: async (url, init) => app.request(String(url), init as RequestInit),
      }),
    ],
  });
}
type Client = ReturnType<typeof clientOf>;

/** Country codes and a few longer prefixes under each: ~1,000 wholesale rates per tariff. */
function prefixes(): string[] {
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

async function wholesaleTariff(client: Client, name: string, currency: string, list: string[], salt: number) {
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

interface Device {
  id: number;
  username: string;
}

/** USERS users (a third per realm) with a device each, 8 requests in flight. */
async function loadUsers(admin: Client, realms: { ownerId: number; client: Client; tariffId: number }[]) {
  const devices: Device[] = new Array(USERS);
  let next = 0;
  const t = performance.now();
  const worker = async () => {
    for (let i = next++; i < USERS; i = next++) {
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

/** Batch `b` of the CDRs, the same every time it is asked (both the ingest and the COPY use it). */
function batchOf(b: number, devices: Device[], list: string[]) {
  const start = Date.parse('2026-10-01T00:00:00Z');
  const calls = [];
  for (let k = 0; k < BATCH && b * BATCH + k < CALLS; k++) {
    const n = b * BATCH + k;
    const h = Math.imul(n ^ 0x9e3779b9, 2654435761) >>> 0;
    const answered = h % 10 < 7;
    const billsec = answered ? 1 + (h % 600) : 0;
    const device = devices[h % devices.length]!;
    calls.push({
      uniqueid: `bench-${n}`,
      calldate: new Date(start + (h % (60 * 86_400)) * 1000).toISOString(),
      duration: billsec + (h % 13),
      billsec,
      disposition: answered ? 'ANSWERED' : (['NO ANSWER', 'BUSY', 'FAILED'] as const)[h % 3]!,
      src: '1000',
      dst: `${list[(h >>> 8) % list.length]}${String(h).slice(-7)}`,
      deviceId: device.id,
    });
  }
  return calls;
}

async function main() {
  log(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; other work on this machine skews absolute numbers`,
  );
  const root = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `openmor_bench_calls_${randomBytes(3).toString('hex')}`;
  await root.unsafe(`create database ${name}`);
  const results: Record<string, unknown> = { calls: CALLS, users: USERS, batch: BATCH, concurrency: CONCURRENCY };
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), { max: 8 });
  const copier = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrate(handle);
    await bootstrap(handle, config);
    const { app, close } = await createApp({
      handle,
      log: { ...silentLog, error: (msg, data) => console.error(msg, data) },
    });
    const admin = clientOf(app, TOKEN);
    try {
      let t = performance.now();
      const list = prefixes();
      await admin.currencies.create.mutate({ name: 'EUR', fullName: 'Euro', exchangeRate: '0.9' });
      const adminTariff = await wholesaleTariff(admin, 'Bench users', 'USD', list, 0);
      const resellerPrice = await wholesaleTariff(admin, 'Bench resellers', 'EUR', list, 17);
      const realms: { ownerId: number; client: Client; tariffId: number }[] = [
        { ownerId: 0, client: admin, tariffId: adminTariff },
      ];
      for (const r of [1, 2]) {
        const { reseller } = await admin.resellers.create.mutate({
          username: `bench_reseller_${r}`,
          password: `Bench-reseller-${r}-x`,
          group: { name: `Bench resellers ${r}`, description: '' },
        });
        await admin.users.update.mutate({ id: reseller.id, tariffId: resellerPrice });
        const { token } = await admin.tokens.issue.mutate({ userId: reseller.id, name: 'bench' });
        const client = clientOf(app, token);
        realms.push({
          ownerId: reseller.id,
          client,
          tariffId: await wholesaleTariff(client, `Bench R${r}`, 'USD', list, 31 * r),
        });
      }
      log(
        `tariffs (${list.length} prefixes each, 4 tariffs) and 2 resellers through tRPC in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      t = performance.now();
      const devices = await loadUsers(admin, realms);
      results.loadUsersS = (performance.now() - t) / 1000;
      log(
        `${USERS.toLocaleString()} users with a device each through tRPC in ${(results.loadUsersS as number).toFixed(1)} s`,
      );
      await handle.db.execute(sql`analyze`);

      // Ingest.
      const batches = Math.ceil(CALLS / BATCH);
      let inserted = 0;
      let nextBatch = 0;
      const lat: number[] = [];
      t = performance.now();
      const worker = async () => {
        for (let b = nextBatch++; b < batches; b = nextBatch++) {
          const s = performance.now();
          const r = await admin.calls.ingest.mutate({ calls: batchOf(b, devices, list) });
          lat.push(performance.now() - s);
          if (r.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
          inserted += r.inserted;
          if ((b + 1) % 40 === 0)
            log(`  ${inserted.toLocaleString()} calls (${((performance.now() - t) / 1000).toFixed(1)} s)`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const ingestS = (performance.now() - t) / 1000;
      const ingestRate = inserted / ingestS;
      lat.sort((a, b) => a - b);
      Object.assign(results, { ingestS, ingestRowsPerS: ingestRate, batchP50Ms: lat[Math.floor(lat.length / 2)] });
      log(
        `calls.ingest: ${inserted.toLocaleString()} CDRs in ${ingestS.toFixed(2)} s = ${Math.round(ingestRate).toLocaleString()} rows/s` +
          ` (batch of ${BATCH} p50 ${lat[Math.floor(lat.length / 2)]!.toFixed(0)} ms, ${CONCURRENCY} in flight);` +
          ` at this rate 1,000,000 take ${(1_000_000 / ingestRate).toFixed(1)} s (target ≤ ${TARGET_S} s)`,
      );

      // Checks.
      const [check] = await queryRows<Record<string, number | string>>(
        handle.db,
        sql`select count(*)::int as calls, count(*) filter (where rating_status = 'rated')::int as rated,
            count(*) filter (where rating_status = 'unanswered')::int as unanswered,
            count(*) filter (where rating_status not in ('rated', 'unanswered'))::int as other,
            count(*) filter (where reseller_id is not null and rating_status = 'rated' and reseller_price = 0)::int as reseller_unpriced,
            sum(user_price)::text as revenue, (select count(*)::int from ledger where source = 'call') as movements,
            (select sum(calls) = (select count(*) from calls) and sum(user_price) = (select sum(user_price) from calls)
              from call_rollups) as rollups_exact
          from calls`,
      );
      const again = await admin.calls.ingest.mutate({ calls: batchOf(0, devices, list) });
      const books = await admin.ledger.reconcile.query();
      results.check = { ...check, reingestedInserted: again.inserted, differences: books.differences.length };
      log(
        `check: ${check!.calls} calls (${check!.rated} rated, ${check!.unanswered} unanswered, ${check!.other} other), ` +
          `${check!.reseller_unpriced} reseller calls without a reseller price, revenue ${check!.revenue}, ` +
          `${check!.movements} ledger movements; rollups exact: ${check!.rollups_exact}; batch 0 again: ${again.inserted} stored, ${again.duplicates} duplicates; ` +
          `reconcile: ${books.differences.length} differences over ${books.users} users`,
      );

      // Ceiling: COPY of the same CDRs into an unindexed table.
      const owners = new Map(
        (await queryRows<{ id: number; user_id: number }>(handle.db, sql`select id, user_id from devices`)).map((d) => [
          d.id,
          d.user_id,
        ]),
      );
      await copier.unsafe('create table calls_copy_ceiling (like calls including defaults)');
      t = performance.now();
      const stream = await copier
        .unsafe(
          `copy calls_copy_ceiling (id, user_id, calldate, uniqueid, src, dst, duration, billsec, disposition, src_device_id, rating_status) from stdin`,
        )
        .writable();
      let id = 0;
      const lines = function* () {
        for (let b = 0; b < batches; b++) {
          let text = '';
          for (const c of batchOf(b, devices, list))
            text += `${++id}\t${owners.get(c.deviceId)}\t${c.calldate}\t${c.uniqueid}\t${c.src}\t${c.dst}\t${c.duration}\t${c.billsec}\t${c.disposition}\t${c.deviceId}\trated\n`;
          yield text;
        }
      };
      await pipeline(Readable.from(lines()), stream);
      const copyS = (performance.now() - t) / 1000;
      const copyRate = CALLS / copyS;
      Object.assign(results, { copyS, copyRowsPerS: copyRate, ratio: ingestRate / copyRate });
      log(
        `COPY of the same ${CALLS.toLocaleString()} rows into an unindexed table: ${copyS.toFixed(2)} s = ${Math.round(copyRate).toLocaleString()} rows/s`,
      );
      log(`ingest / COPY = ${(ingestRate / copyRate).toFixed(3)} (target ≥ 0.25)`);
    } finally {
      await close();
    }
  } finally {
    await copier.end();
    await handle.close();
    await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  }
  results.loadavg = os.loadavg();
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/calls-ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`written ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
