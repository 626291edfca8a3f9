/**
 * `npm run bench:calls-ingest-profile` — where one `calls.ingest` batch spends its time, on a throwaway
 * Postgres database loaded as bench:calls-ingest loads it (tariffs, resellers, USERS users through tRPC),
 * after WARM batches through the API (so indexes and rollups hold data). Then, for each of RUNS fresh
 * batches of BATCH calls:
 *   - the whole request through the app (createApp + app.request): client JSON.stringify, then the
 *     server's handling (tRPC body parse, input check, ingest);
 *   - the same work phase by phase, through the domain functions the request runs (check + originators
 *     + clocks, partitions, the one claim + rate + insert + charge statement);
 *   - EXPLAIN ANALYZE of that statement in a rolled-back transaction: the time of each CTE (the
 *     ledger's among them) and of the rollup and outbox triggers.
 * Prints medians; never passes or fails. CPUPROF=<file.cpuprofile> writes a CPU profile of the first
 * request (open it in Chrome DevTools).
 *
 * SETUP_DB=<name>: start from a copy of the set-up bench:calls-ingest kept under that name (its
 * USERS users) instead of creating USERS users.
 *
 *   USERS=300 WARM=20 RUNS=3 BATCH=5000 npm run bench:calls-ingest-profile
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../src/app.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryRows } from '../src/db/rows.ts';
import type { Db } from '../src/db/types.ts';
import { checkCall } from '../src/domain/calls/ingest/callRow.ts';
import { storeCalls, storeCallsQuery } from '../src/domain/calls/ingest/storeCalls.ts';
import { ensurePartitions, planBatch } from '../src/domain/calls/ingestCalls.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { batchOf, clientOf, keptSetup, loadRealms, loadUsers, prefixes } from './calls-seed.ts';
import { benchConfig } from './config.ts';

const USERS = Number(process.env.USERS ?? 300);
const WARM = Number(process.env.WARM ?? 20);
const RUNS = Number(process.env.RUNS ?? 3);
const BATCH = Number(process.env.BATCH ?? 5_000);
const TOTAL = 100_000_000;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SETUP_DB = process.env.SETUP_DB;
const TOKEN = SETUP_DB ? `bench-setup-${SETUP_DB}` : `bench-${randomBytes(8).toString('hex')}`;
const log = (...a: unknown[]) => console.log(`[profile ${new Date().toISOString().slice(11, 19)}]`, ...a);

const times = new Map<string, number[]>();
const note = (k: string, ms: number) => times.set(k, [...(times.get(k) ?? []), ms]);
async function timed<T>(k: string, fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await fn();
  note(k, performance.now() - t);
  return r;
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'CTE Name'?: string;
  'Subplan Name'?: string;
  'Actual Total Time'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** Inclusive times of the CTE sub-plans (Subplan Name "CTE x") and of the trigger, from an EXPLAIN. */
function explainTimes(prefix: string, plan: { Plan: PlanNode; Triggers?: { 'Trigger Name': string; Time: number }[] }) {
  const walk = (n: PlanNode) => {
    if (n['Subplan Name']?.startsWith('CTE '))
      note(`${prefix} ${n['Subplan Name']} (incl.)`, (n['Actual Total Time'] ?? 0) * (n['Actual Loops'] ?? 1));
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan.Plan);
  note(`${prefix} total (plan root)`, plan.Plan['Actual Total Time'] ?? 0);
  for (const t of plan.Triggers ?? []) note(`${prefix} trigger ${t['Trigger Name']}`, t.Time);
}

async function explain(db: Db, query: ReturnType<typeof storeCallsQuery>) {
  const [row] = await queryRows<{ 'QUERY PLAN': unknown[] }>(db, sql`explain (analyze, format json) ${query}`);
  return row!['QUERY PLAN'][0] as {
    Plan: PlanNode;
    'Execution Time': number;
    Triggers?: { 'Trigger Name': string; Time: number }[];
  };
}

class Rollback extends Error {}

const post = (s: Session, method: string) =>
  new Promise<unknown>((resolve, reject) => s.post(method, (e, r) => (e ? reject(e) : resolve(r))));

async function main() {
  log(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const root = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `openmor_bench_profile_${randomBytes(3).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${SETUP_DB}`;
  const kept = SETUP_DB ? await keptSetup(root, url.toString(), SETUP_DB) : null;
  if (SETUP_DB && !kept) throw new Error(`no set-up kept in ${SETUP_DB}: run bench:calls-ingest with SETUP_DB first`);
  await root.unsafe(kept ? `create database ${name} template ${SETUP_DB}` : `create database ${name}`);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), { max: 4 });
  try {
    await migrate(handle);
    const config = benchConfig({ MOR_ADMIN_TOKEN: TOKEN });
    await bootstrap(handle, config);
    const { app, close } = await createApp({ handle, log: { ...silentLog, error: (m, d) => console.error(m, d) } });
    try {
      const admin = clientOf('http://bench', TOKEN, app.request);
      const list = prefixes();
      let devices = kept;
      if (!devices) {
        const { realms } = await loadRealms(admin, (token) => clientOf('http://bench', token, app.request));
        devices = await loadUsers(admin, realms, USERS, log);
        await handle.db.execute(sql`analyze`);
      }
      const users = devices;
      const batch = (b: number) => batchOf(b, BATCH, TOTAL, users, list);
      let b = 0;
      const t = performance.now();
      for (; b < WARM; b++) await admin.calls.ingest.mutate({ calls: batch(b) });
      log(`${WARM} warm-up batches of ${BATCH} through the API in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const db = handle.db as unknown as Db;
      const now = new Date();
      for (let run = 0; run < RUNS; run++) {
        // 1. The whole request, in process.
        const calls = batch(b++);
        const body = await timed('request: client JSON.stringify', () => JSON.stringify({ 0: { calls } }));
        const session = process.env.CPUPROF && run === 0 ? new Session() : null;
        if (session) {
          session.connect();
          await post(session, 'Profiler.enable');
          await post(session, 'Profiler.start');
        }
        const answer = await timed('request: server (app.request, whole)', async () => {
          const res = await app.request('http://bench/trpc/calls.ingest?batch=1', {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body,
          });
          return res.text();
        });
        if (session) {
          const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
          writeFileSync(process.env.CPUPROF!, JSON.stringify(profile));
          session.disconnect();
          log(`CPU profile of the first request written to ${process.env.CPUPROF}`);
        }
        if (!answer.includes('"inserted":')) throw new Error(answer.slice(0, 300));
        await timed('request: JSON.parse of the body alone', () => JSON.parse(body));

        // 2. Phase by phase, on the next batch.
        const items = batch(b++);
        await timed('phase: checkCall × batch', () => items.map((c, i) => checkCall(c, i, now)));
        const plan = await timed('phase: planBatch (check, originators, clocks)', () =>
          planBatch({ db }, items, (c, i) => checkCall(c, i, now)),
        );
        await timed('phase: ensurePartitions', () => ensurePartitions({ db }, plan.months));
        await timed('phase: store + charge statement (claim, rate, insert, ledger)', () => storeCalls(db, plan.rows));

        // 3. EXPLAIN ANALYZE of the statement on a third batch, rolled back.
        const third = await planBatch({ db }, batch(b++), (c, i) => checkCall(c, i, now));
        await ensurePartitions({ db }, third.months);
        await db
          .transaction(async (tx) => {
            if (process.env.PLAN && run === 0) {
              const text = await queryRows<{ 'QUERY PLAN': string }>(
                tx as unknown as Db,
                sql`explain (analyze, costs off) ${storeCallsQuery(third.rows)}`,
              );
              console.log(text.map((l) => l['QUERY PLAN']).join('\n'));
              throw new Rollback();
            }
            const e = await explain(tx as unknown as Db, storeCallsQuery(third.rows));
            note('explain store: execution', e['Execution Time']);
            explainTimes('explain store:', e);
            throw new Rollback();
          })
          .catch((e) => {
            if (!(e instanceof Rollback)) throw e;
          });
        log(`run ${run + 1}/${RUNS} done`);
      }
      log(
        `median of ${RUNS} runs, ${BATCH} calls per batch, ${USERS} users, after ${WARM * BATCH} calls; load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      for (const [k, v] of times)
        console.log(
          `  ${k.padEnd(60)} ${median(v).toFixed(1).padStart(8)} ms   (${v.map((x) => x.toFixed(0)).join(' / ')})`,
        );
    } finally {
      await close();
    }
  } finally {
    await handle.close();
    await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
