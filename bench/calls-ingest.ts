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
 * on a busy machine (the calls still spread over every user), or SETUP_DB=<name> to keep the set-up in
 * a database of that name and start later runs from a copy of it (CREATE DATABASE … TEMPLATE, seconds
 * instead of minutes; drop it when done). ORDER=time (default: CDRs as a switch posts them, in the
 * order calls end) or ORDER=random (every batch spread over the 60 days; see calls-seed.ts CallOrder).
 *
 *   CALLS=1000000 USERS=10000 BATCH=5000 CONCURRENCY=2 ORDER=time npm run bench:calls-ingest
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../src/app.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryRows } from '../src/db/rows.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import {
  batchOf,
  type CallOrder,
  clientOf,
  type Device,
  keptSetup,
  loadRealms,
  loadUsers,
  prefixes,
} from './calls-seed.ts';
import { benchConfig } from './config.ts';

const CALLS = Number(process.env.CALLS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 10_000);
const BATCH = Number(process.env.BATCH ?? 5_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 2);
const TARGET_S = 60;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORDER = (process.env.ORDER ?? 'time') as CallOrder;
const SETUP_DB = process.env.SETUP_DB;
const TOKEN = SETUP_DB ? `bench-setup-${SETUP_DB}` : `bench-${randomBytes(8).toString('hex')}`;
const config = benchConfig({ MOR_ADMIN_TOKEN: TOKEN });
const log = (...a: unknown[]) => console.log(`[bench:calls-ingest ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function main() {
  log(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; other work on this machine skews absolute numbers`,
  );
  const root = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `openmor_bench_calls_${randomBytes(3).toString('hex')}`;
  const results: Record<string, unknown> = {
    calls: CALLS,
    users: USERS,
    batch: BATCH,
    concurrency: CONCURRENCY,
    order: ORDER,
  };
  const urlOf = (db: string) => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${db}`;
    return url.toString();
  };
  // The set-up: in the run's own database, or kept in SETUP_DB (built there the first time) and copied.
  let devices = SETUP_DB ? await keptSetup(root, urlOf(SETUP_DB), SETUP_DB) : null;
  if (SETUP_DB && !devices) {
    await root.unsafe(`create database ${SETUP_DB}`);
    devices = await setUp(urlOf(SETUP_DB), results);
  }
  await root.unsafe(SETUP_DB ? `create database ${name} template ${SETUP_DB}` : `create database ${name}`);
  if (SETUP_DB) log(`set-up copied from ${SETUP_DB}: ${devices!.length.toLocaleString()} users with a device each`);
  devices ??= await setUp(urlOf(name), results);
  const list = prefixes();
  const handle = await connectPostgres(urlOf(name), { max: 8 });
  const copier = postgres(urlOf(name), { max: 1, onnotice: () => {} });
  try {
    // A kept set-up may predate this build's migrations.
    await migrate(handle);
    const { app, close } = await createApp({
      handle,
      log: { ...silentLog, error: (msg, data) => console.error(msg, data) },
    });
    const admin = clientOf('http://bench', TOKEN, app.request);
    try {
      // Ingest.
      const batches = Math.ceil(CALLS / BATCH);
      let inserted = 0;
      let nextBatch = 0;
      const lat: number[] = [];
      let t = performance.now();
      const worker = async () => {
        for (let b = nextBatch++; b < batches; b = nextBatch++) {
          const s = performance.now();
          const r = await admin.calls.ingest.mutate({ calls: batchOf(b, BATCH, CALLS, devices, list, ORDER) });
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
      const again = await admin.calls.ingest.mutate({ calls: batchOf(0, BATCH, CALLS, devices, list, ORDER) });
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
          for (const c of batchOf(b, BATCH, CALLS, devices, list, ORDER))
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

/**
 * Through the public tRPC API, into the database at `url`: the tariffs, the two resellers and USERS
 * users with a device each; then ANALYZE. Answers the devices.
 */
async function setUp(url: string, results: Record<string, unknown>): Promise<Device[]> {
  const handle = await connectPostgres(url, { max: 8 });
  try {
    await migrate(handle);
    await bootstrap(handle, config);
    const { app, close } = await createApp({
      handle,
      log: { ...silentLog, error: (msg, data) => console.error(msg, data) },
    });
    try {
      const admin = clientOf('http://bench', TOKEN, app.request);
      let t = performance.now();
      const { realms, list } = await loadRealms(admin, (token) => clientOf('http://bench', token, app.request));
      log(
        `tariffs (${list.length} prefixes each, 4 tariffs) and 2 resellers through tRPC in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      t = performance.now();
      const devices = await loadUsers(admin, realms, USERS, log);
      results.loadUsersS = (performance.now() - t) / 1000;
      log(
        `${USERS.toLocaleString()} users with a device each through tRPC in ${(results.loadUsersS as number).toFixed(1)} s`,
      );
      await handle.db.execute(sql`analyze`);
      return devices;
    } finally {
      await close();
    }
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
