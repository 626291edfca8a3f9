/**
 * `npm run bench:cards` — the calling-card family at scale, through the real XML pipeline
 * (createApp + app.request, no network), on a throwaway Postgres database and on PGlite in memory:
 *   1. calling_cards_create of 100,000 cards in ONE request (heap high-water mark sampled),
 *   2. calling_cards_create of 10,000 cards in one request, 3 times (target ≤ 2 s on Postgres),
 *   3. calling_cards_get over that 100,000-card group filtered by batch and balance range,
 *      p50/p95 of 50 requests after 5 warm-ups (target ≤ 100 ms p50 on Postgres).
 * Reports figures; never passes or fails (other work on the machine skews absolute numbers).
 *
 *   npm run bench:cards [-- --quick]     BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../src/app.ts';
import { connectPglite } from '../src/db/connectPglite.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import type { DbHandle } from '../src/db/types.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';

const QUICK = process.argv.includes('--quick');
const BIG = QUICK ? 20_000 : 100_000;
const BATCH = 10_000;
const GETS = QUICK ? 10 : 50;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const KEY = 'bench-cards-secret';
const log = (...a: unknown[]) => console.log(`[bench:cards ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const config = benchConfig({ MOR_API_SECRET_KEY: KEY, MOR_ADMIN_TOKEN: `bench-${randomBytes(8).toString('hex')}` });

type Api = (method: string, params: Record<string, string>, hashOf?: string[]) => Promise<string>;

async function apiOn(handle: DbHandle): Promise<Api> {
  await migrate(handle);
  await bootstrap(handle, config);
  const { app } = await createApp({ handle, log: silentLog });
  return async (method, params, hashOf = []) => {
    const body = new URLSearchParams({
      u: 'admin',
      ...params,
      hash: sha1(hashOf.map((n) => params[n] ?? '').join('') + KEY),
    });
    const res = await app.request(`http://bench/billing/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    return res.text();
  };
}

/** Runs `fn`, sampling the heap every 5 ms: [ms, peak heap growth in MB]. */
async function measured(fn: () => Promise<string>): Promise<{ ms: number; heapMb: number; body: string }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const t = performance.now();
  const body = await fn();
  const ms = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, heapMb: (peak - base) / 1e6, body };
}

const created = (body: string) => /Cards created: (\d+\/\d+)/.exec(body)?.[1] ?? `FAILED: ${body}`;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const H = ['card_group_id', 'cards_from', 'cards_till'];

async function runOn(label: string, handle: DbHandle) {
  const call = await apiOn(handle);
  const group = async (name: string) => {
    await call('cc_group_create', { name, pin_length: '8', price_with_vat: '10' }, ['name']);
    const rows = (await handle.db.execute(sql`select max(id) as id from cardgroups`)) as unknown;
    const list = Array.isArray(rows) ? rows : (rows as { rows: { id: number }[] }).rows;
    return String(list[0].id);
  };
  const big = await group('big');
  const from = 1_000_000_000;
  const one = await measured(() =>
    call(
      'calling_cards_create',
      { card_group_id: big, cards_from: String(from), cards_till: String(from + BIG - 1) },
      H,
    ),
  );
  log(
    `${label}: ${BIG.toLocaleString()} cards in one request: ${created(one.body)} in ${(one.ms / 1000).toFixed(2)} s, heap peak +${one.heapMb.toFixed(1)} MB`,
  );
  // 10 batches, balances spread over 0.00–99.90 (a card per 0.1): a realistic search space.
  await handle.db.execute(sql`update cards set batch_number = 'B' || (id % 10), balance = (id % 1000) / 10.0
    where cardgroup_id = ${Number(big)}`);
  // The update leaves 100k dead rows; PGlite has no autovacuum, so clean up as a maintained database would be.
  await handle.db.execute(sql`vacuum analyze cards`);

  const small = await group('batches');
  const runs: { ms: number; heapMb: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const start = 2_000_000_000 + i * BATCH;
    const r = await measured(() =>
      call(
        'calling_cards_create',
        {
          card_group_id: small,
          cards_from: String(start),
          cards_till: String(start + BATCH - 1),
          batch_number: `R${i}`,
        },
        H,
      ),
    );
    log(
      `${label}: ${BATCH.toLocaleString()} cards in one request (run ${i + 1}): ${created(r.body)} in ${r.ms.toFixed(0)} ms, heap peak +${r.heapMb.toFixed(1)} MB`,
    );
    runs.push(r);
  }

  const filter = { batch_number: 'B3', min_balance: '10', max_balance: '12' };
  const first = await call('calling_cards_get', filter);
  const count = (first.match(/<card>/g) ?? []).length;
  for (let i = 0; i < 5; i++) await call('calling_cards_get', filter);
  const times: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const t = performance.now();
    await call('calling_cards_get', filter);
    times.push(performance.now() - t);
  }
  log(
    `${label}: calling_cards_get batch+balance over ${BIG.toLocaleString()} cards → ${count} cards: p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms`,
  );
  return {
    bigCreateMs: one.ms,
    bigCreateHeapMb: one.heapMb,
    batchCreateMs: runs.map((r) => r.ms),
    batchCreateHeapMb: runs.map((r) => r.heapMb),
    getCards: count,
    getP50Ms: pct(times, 0.5),
    getP95Ms: pct(times, 0.95),
  };
}

async function main() {
  log(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; other work on this machine skews absolute numbers`,
  );
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `openmor_bench_cards_${randomBytes(3).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const results: Record<string, unknown> = { quick: QUICK, cards: BIG, loadavg: os.loadavg() };
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const pg = await connectPostgres(url.toString(), { max: 4 });
    try {
      results.postgres = await runOn('postgres', pg);
    } finally {
      await pg.close();
    }
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  const lite = await connectPglite('memory://');
  try {
    results.pglite = await runOn('pglite', lite);
  } finally {
    await lite.close();
  }
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/cards-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`targets (Postgres): 10,000-card create ≤ 2,000 ms; filtered get p50 ≤ 100 ms. Written ${file}`);
}

await main();
