/**
 * `npm run bench:calls-read` — the call history and statistics over a large calls table, against the
 * real server (`dist/node.mjs`, what `npm start` runs) on a throwaway Postgres database:
 *   1. through the public API over HTTP: tariffs, two resellers, USERS users with a device each, then
 *      CALLS CDRs (70 % answered, 60 days) through `calls.ingest` (bench/calls-seed.ts);
 *   2. user_calls_get for the admin over a period holding ~ANSWER calls: the server's peak RSS growth
 *      (sampled from /proc while the client reads and drops the stream), first byte, total;
 *   3. user_calls_get of one user over one day (a different user and day each time): p50, p99;
 *   4. quickstats_get, and aggregate_get with its default grouping over a month and over 60 days;
 *   5. calls.authorize at 32 connections with wrk (p50), when wrk is installed.
 * Targets (issue "Calls"): 100,000-call answer with RSS growth < 50 MB and first byte ≤ 200 ms; one-day
 * window p50 ≤ 20 ms; quickstats/aggregate ≤ 500 ms; authorize p50 ≤ 2 ms at 32 connections.
 * Prints figures; never passes or fails (other work on the machine skews absolute numbers).
 *
 *   CALLS=1000000 USERS=1000 ANSWER=100000 npm run bench:calls-read
 *   KEEP_DB=1 keeps the database; BENCH_DB=<name> measures the reads again on it (no seeding)
 *   ONLY=answer,day,stats,authorize measures only those parts; ANSWERS=n streams the large answer n times; SERVER=<file> runs another server build
 *   (before/after on the same database); SERVER_FLAGS="…" adds Node flags to the server process
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 */

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { batchOf, clientOf, type Device, loadRealms, loadUsers, prefixes } from './calls-seed.ts';
import { freePort, median, run } from './rating-tools.ts';

const CALLS = Number(process.env.CALLS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 1_000);
const ANSWER = Number(process.env.ANSWER ?? 100_000);
/** ANSWERS=n: stream the large answer n times (one after the other; the figures swing with the load). */
const ANSWERS = Number(process.env.ANSWERS ?? 1);
const BATCH = 5_000;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let TOKEN = `bench-${randomBytes(8).toString('hex')}`;
let KEY = `key-${randomBytes(6).toString('hex')}`;
/** BENCH_DB=<database>: measure the reads again on a database a KEEP_DB=1 run left (no seeding). */
const REUSE = process.env.BENCH_DB;
/** ONLY=answer,day,stats,authorize: measure only these parts (default: all). */
const ONLY = process.env.ONLY?.split(',');
const part = (name: string) => ONLY === undefined || ONLY.includes(name);
/** SERVER=<file>: another build of the server entry (e.g. a copy of the previous dist/node.mjs), for before/after. */
const SERVER = process.env.SERVER ?? 'dist/node.mjs';
/** SERVER_FLAGS="--trace-gc …": Node flags of the server process. */
const NODE_FLAGS = process.env.SERVER_FLAGS?.split(' ').filter(Boolean) ?? [];
/** The CDRs of bench/calls-seed.ts span 60 days from here. */
const START = Date.parse('2026-10-01T00:00:00Z') / 1000;
const log = (...a: unknown[]) => console.log(`[bench:calls-read ${new Date().toISOString().slice(11, 19)}]`, ...a);

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** A signed XML API request as integrations send it: form body, hash over `order` + the secret key. */
async function xml(base: string, method: string, params: Record<string, string>, order: string[]) {
  const hash = createHash('sha1')
    .update(order.map((k) => params[k] ?? '').join('') + KEY)
    .digest('hex');
  return fetch(`${base}/billing/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ u: 'admin', ...params, hash }).toString(),
  });
}
const HISTORY_HASH = ['period_start', 'period_end', 's_user'];

async function timed(label: string, n: number, ask: () => Promise<Response>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const text = await (await ask()).text();
    times.push(performance.now() - t);
    if (!text.includes('<page>') || text.includes('<error>')) throw new Error(`${label}: ${text.slice(0, 300)}`);
  }
  const p50 = median(times);
  log(`${label}: p50 ${p50.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (${n} runs)`);
  return p50;
}

async function seed(base: string, admin: ReturnType<typeof clientOf>) {
  const t = performance.now();
  const { realms, list } = await loadRealms(admin, (token) => clientOf(base, token));
  const devices: Device[] = await loadUsers(admin, realms, USERS, log);
  log(`${USERS.toLocaleString()} users with a device each in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { list, devices };
}

/** The prefixes and devices of a kept database. */
async function loaded(url: string) {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const devices = (await db.unsafe('select id, username from devices order by id')) as unknown as Device[];
  await db.end();
  return { list: prefixes(), devices };
}

/** `dist/node.mjs` (what `npm start` runs) with `env`; quiet at LOG_LEVEL=warn, so waitReady tells when it serves. */
function spawnServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...NODE_FLAGS, SERVER], {
    env,
    stdio: ['ignore', NODE_FLAGS.length > 0 ? 'inherit' : 'ignore', 'inherit'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return {
    pid: child.pid!,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls /ready until the server answers 200 (its log level keeps the "listening" line quiet). */
async function waitReady(base: string) {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${base}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base}/ready never answered 200`);
}

async function main() {
  log(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; other work skews absolute numbers`,
  );
  const root = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = REUSE ?? `openmor_bench_read_${randomBytes(3).toString('hex')}`;
  if (!REUSE) await root.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const results: Record<string, unknown> = { calls: CALLS, users: USERS };
  try {
    await run('npm', ['run', 'build', '--silent']);
    if (REUSE) {
      // The operator console gives a new token and key (the first start's are not stored in clear).
      const env = { ...process.env, DATABASE_URL: url.toString() };
      TOKEN = /\(shown once\): (\S+)/.exec(await run(process.execPath, ['dist/admin.mjs', 'token', 'issue'], env))![1]!;
      KEY = /\(shown once\): (\S+)/.exec(
        await run(process.execPath, ['dist/admin.mjs', 'api-key', 'rotate'], env),
      )![1]!;
    }
    const port = await freePort();
    const server = spawnServer({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: url.toString(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MOR_ADMIN_PASSWORD: 'bench-admin-password',
      MOR_API_SECRET_KEY: KEY,
      MOR_ADMIN_TOKEN: TOKEN,
      DB_POOL_MAX: String(2 * os.cpus().length),
    });
    await waitReady(`http://127.0.0.1:${port}`);
    const base = `http://127.0.0.1:${port}`;
    const admin = clientOf(base, TOKEN);
    let t = performance.now();
    const { list, devices } = REUSE ? await loaded(url.toString()) : await seed(base, admin);
    t = performance.now();
    const batches = Math.ceil(CALLS / BATCH);
    let next = 0;
    let inserted = 0;
    const worker = async () => {
      for (let b = next++; b < batches; b = next++) {
        const r = await admin.calls.ingest.mutate({ calls: batchOf(b, BATCH, CALLS, devices, list, 'random') });
        inserted += r.inserted;
        if ((b + 1) % 40 === 0) log(`  ${inserted.toLocaleString()} calls`);
      }
    };
    if (!REUSE) {
      await Promise.all([worker(), worker()]);
      results.ingestS = (performance.now() - t) / 1000;
      log(`${inserted.toLocaleString()} calls through calls.ingest in ${(results.ingestS as number).toFixed(1)} s`);
    }
    const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await db.unsafe('vacuum analyze');

    // 2. A large answer, streamed: the server's RSS sampled while the client reads and drops it.
    if (part('answer')) {
      const [{ till }] = (await db.unsafe<{ till: string }[]>(
        `select extract(epoch from calldate)::bigint::text as till from calls order by calldate offset ${Math.min(ANSWER, CALLS) - 1} limit 1`,
      )) as unknown as [{ till: string }];
      const period = { period_start: String(START), period_end: till, s_user: 'all' };
      // A running server, not a cold one: the first large answer after a start also pays for compiling
      // the code path and growing the heap once (measured: +74 MB on the first 10,000-call answer, then
      // flat whatever the answer's size), which later answers never repeat.
      const warm = await xml(base, 'user_calls_get', { ...period, period_end: String(START + 86_400) }, HISTORY_HASH);
      await warm.text();
      const answers: Record<string, number>[] = [];
      for (let run = 0; run < ANSWERS; run++) {
        const before = rssKb(server.pid);
        let peak = before;
        const sampler = setInterval(() => {
          peak = Math.max(peak, rssKb(server.pid));
        }, 10);
        t = performance.now();
        const response = await xml(base, 'user_calls_get', period, HISTORY_HASH);
        const reader = response.body!.getReader();
        let firstByte = 0;
        let calls = 0;
        let bytes = 0;
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (firstByte === 0) firstByte = performance.now() - t;
          bytes += value.byteLength;
          calls += decoder.decode(value, { stream: true }).split('<call>').length - 1;
        }
        const total = performance.now() - t;
        clearInterval(sampler);
        peak = Math.max(peak, rssKb(server.pid));
        answers.push({
          calls,
          mb: bytes / 1e6,
          firstByteMs: firstByte,
          totalMs: total,
          rssBeforeMb: before / 1024,
          rssGrowthMb: (peak - before) / 1024,
        });
        log(
          `user_calls_get, ${calls.toLocaleString()} calls (${(bytes / 1e6).toFixed(1)} MB): first byte ${firstByte.toFixed(0)} ms, total ${(total / 1000).toFixed(1)} s, ` +
            `server RSS ${(before / 1024).toFixed(0)} MB, peak growth ${((peak - before) / 1024).toFixed(1)} MB (target < 50 MB, first byte ≤ 200 ms)`,
        );
      }
      results.answer = answers[0];
      if (ANSWERS > 1) {
        results.answers = answers;
        log(
          `user_calls_get over ${ANSWERS} answers: peak growth median ${median(answers.map((a) => a.rssGrowthMb!)).toFixed(1)} MB, ` +
            `max ${Math.max(...answers.map((a) => a.rssGrowthMb!)).toFixed(1)} MB; first byte median ${median(answers.map((a) => a.firstByteMs!)).toFixed(0)} ms`,
        );
      }
    }
    // 3. One user, one day.
    if (part('day')) {
      const byUser = await db.unsafe<{ user_id: number }[]>('select distinct user_id from calls limit 200');
      let k = 0;
      results.oneDayP50Ms = await timed('user_calls_get, one user, one day', 200, () => {
        const day = START + (k % 60) * 86_400;
        const user = byUser[k++ % byUser.length]!.user_id;
        return xml(
          base,
          'user_calls_get',
          { period_start: String(day), period_end: String(day + 86_399), s_user: String(user) },
          HISTORY_HASH,
        );
      });
    }
    // 4. Statistics.
    if (part('stats')) {
      results.quickstatsMs = await timed('quickstats_get', 5, () => xml(base, 'quickstats_get', {}, []));
      const month = {
        from: String(Date.parse('2026-10-01T00:00:00Z') / 1000),
        till: String(Date.parse('2026-11-01T00:00:00Z') / 1000 - 1),
      };
      results.aggregateMonthMs = await timed('aggregate_get, default grouping, one month', 5, () =>
        xml(base, 'aggregate_get', month, []),
      );
      results.aggregate60dMs = await timed('aggregate_get, default grouping, 60 days', 3, () =>
        xml(base, 'aggregate_get', { from: String(START), till: String(START + 60 * 86_400 - 1) }, []),
      );
    }
    // 5. calls.authorize at 32 connections.
    if (part('authorize')) {
      try {
        await run('wrk', ['--version']).catch((e: Error) => {
          if (/ENOENT/.test(e.message)) throw e;
        });
        writeFileSync(
          '/tmp/openmor-authorize.lua',
          `wrk.method = "GET"\nwrk.headers["authorization"] = "Bearer ${TOKEN}"\n` +
            `local n = 0\nrequest = function()\n  n = n + 1\n  local input = '{"deviceId":' .. (${devices[0]!.id} + n % ${devices.length}) .. ',"dst":"${list[5]}' .. (1000000 + n % 9000000) .. '"}'\n` +
            `  return wrk.format(nil, "/trpc/calls.authorize?input=" .. input:gsub('[{}":,]', function(c) return string.format('%%%02X', string.byte(c)) end))\nend\n` +
            `done = function(summary, latency)\n  io.write(string.format("WRK_AUTH %d %d %d %d\\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99)))\nend\n`,
        );
        // Warm-up: the first requests start loading the tariffs into the rate index (answered by SQL meanwhile).
        await run('wrk', ['-t2', '-c32', '-d4s', '-s', '/tmp/openmor-authorize.lua', base]);
        await new Promise((r) => setTimeout(r, 2_000));
        const out = await run('wrk', ['-t2', '-c32', '-d8s', '-s', '/tmp/openmor-authorize.lua', base]);
        const m = /WRK_AUTH (\d+) (\d+) (\d+) (\d+)/.exec(out);
        if (!m || /Non-2xx/.test(out)) throw new Error(`wrk: ${out.slice(-800)}`);
        const rps = Number(m[1]) / (Number(m[2]) / 1e6);
        results.authorize = { rps, p50Ms: Number(m[3]) / 1000, p99Ms: Number(m[4]) / 1000 };
        log(
          `calls.authorize, 32 connections: ${Math.round(rps).toLocaleString()} req/s, p50 ${(Number(m[3]) / 1000).toFixed(2)} ms, p99 ${(Number(m[4]) / 1000).toFixed(2)} ms (target p50 ≤ 2 ms)`,
        );
      } catch (e) {
        if (!/ENOENT/.test(String(e))) throw e;
        log('calls.authorize: skipped, wrk is not installed (Debian: apt-get install -y wrk)');
      }
    }
    await db.end();
    await server.stop();
  } finally {
    if (REUSE || process.env.KEEP_DB === '1') log(`database ${name} kept (BENCH_DB=${name} measures the reads again)`);
    else await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  }
  results.loadavg = os.loadavg();
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/calls-read-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`written ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
