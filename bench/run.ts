/**
 * `npm run bench` — throughput of user_balance_get against its ceilings (see bench/README.md).
 *
 *   npm run bench                 full run: 3 interleaved runs of 10 s each (≈ 5 minutes)
 *   npm run bench -- --quick      smoke run: 1 run of 3 s each (≈ 1.5 minutes)
 *   npm run bench -- --variant=bench/variants/node-sha1.ts
 *                                 adds a row (and a hot-path count) for another server entry: a what-if
 *   npm run bench -- --profile    adds a CPU profile of the server under load (top functions and packages)
 *   npm run bench -- --no-cluster skips the 2-process row
 *
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a superuser
 * connection used to create and drop the throwaway databases; BENCH_USERS (default 2000: users are created through
 * users.create, whose PBKDF2 dominates the set-up).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { balanceQuery } from '../src/domain/balance/getBalance.ts';
import { perRequest, startWireProxy } from './pgwire.ts';

// ───────────────────────────── configuration ─────────────────────────────

const FLAGS = ['--quick', '--profile', '--no-cluster', '--cold-only'];
const argv = new Set<string>();
/** Extra server entries measured as their own rows (`--variant=bench/variants/x.ts`, repeatable). */
const VARIANTS: string[] = [];
for (const a of process.argv.slice(2)) {
  if (a.startsWith('--variant=')) {
    const file = a.slice('--variant='.length);
    if (!existsSync(file)) {
      console.error(`--variant: no such file ${file}`);
      process.exit(2);
    }
    VARIANTS.push(path.resolve(file));
  } else if (FLAGS.includes(a)) argv.add(a);
  else {
    console.error(`unknown option ${a} (known: ${FLAGS.join(' ')} --variant=<entry.ts>)`);
    process.exit(2);
  }
}
const QUICK = argv.has('--quick');
const RUNS = QUICK ? 1 : 3;
const DURATION_S = QUICK ? 3 : 10;
const WARMUP_S = QUICK ? 1 : 2;
const USERS = Number(process.env.BENCH_USERS ?? '2000');
const WRK = { threads: 2, connections: 32 };
const PGBENCH = { clients: 32, jobs: 2, scale: 10 };
/** Past this, optional repetitions (cold starts 2 and 3) are skipped; past the hard limit everything stops. */
const SOFT_LIMIT_MS = (QUICK ? 2.5 : 5.5) * 60_000;
const HARD_LIMIT_MS = (QUICK ? 4 : 8) * 60_000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = path.join(ROOT, 'bench');
const ADMIN_URL = new URL(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const PG = {
  host: ADMIN_URL.hostname,
  port: Number(ADMIN_URL.port || '5432'),
  user: decodeURIComponent(ADMIN_URL.username || 'postgres'),
  password: decodeURIComponent(ADMIN_URL.password),
};
const SECRET = 'bench-secret-key';
const ADMIN_TOKEN = `bench-admin-token-${randomBytes(8).toString('hex')}`;
const STAMP = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '_');
const DB_PREFIX = `openmor_bench_${STAMP.toLowerCase()}_${randomBytes(2).toString('hex')}`;

// ───────────────────────────── processes and cleanup ─────────────────────────────

const children = new Set<ChildProcess>();
const cleanups: { label: string; fn: () => Promise<void> | void }[] = [];
let cleaning: Promise<void> | null = null;
let interrupted = false;

function onCleanup(label: string, fn: () => Promise<void> | void) {
  cleanups.push({ label, fn });
}

async function cleanup() {
  cleaning ??= (async () => {
    for (const { label, fn } of cleanups.reverse()) {
      try {
        await withTimeout(Promise.resolve(fn()), 15_000, `cleanup ${label}`);
      } catch (error) {
        console.error(`cleanup (${label}) failed: ${(error as Error).message}`);
      }
    }
    for (const child of children) kill(child, 'SIGKILL');
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(`\nbench: ${signal}, cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  console.error(`bench: exceeded ${HARD_LIMIT_MS / 60_000} minutes, aborting`);
  void cleanup().finally(() => process.exit(1));
}, HARD_LIMIT_MS);
watchdog.unref();

/** Children started in their own process group (runCommand): signalled as a group. */
const groups = new WeakSet<ChildProcess>();

function kill(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    try {
      process.kill(groups.has(child) ? -child.pid : child.pid, signal);
    } catch {
      // already gone
    }
  }
}

interface Spawned {
  child: ChildProcess;
  pid: number;
  log: string;
  /** Resolves when the process exits (code or signal). */
  exited: Promise<string>;
  /** Resolves when a stdout/stderr line matches. */
  waitFor(re: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

let logCount = 0;
let tmpDir = '';

/** Starts a long-running process; its output goes to a log file in the temp dir. */
function startProcess(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const log = path.join(tmpDir, `${String(++logCount).padStart(2, '0')}-${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  children.add(child);
  const watchers: { re: RegExp; resolve: () => void }[] = [];
  let text = '';
  const onData = (chunk: Buffer) => {
    out.write(chunk);
    if (watchers.length === 0) return;
    text = (text + chunk.toString()).slice(-8192);
    for (const w of [...watchers]) {
      if (w.re.test(text)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      out.end();
      resolve(signal ?? String(code));
    }),
  );
  const spawned: Spawned = {
    child,
    pid: child.pid,
    log,
    exited,
    waitFor: (re, timeoutMs) =>
      withTimeout(
        Promise.race([
          new Promise<void>((resolve) => watchers.push({ re, resolve })),
          exited.then((how) => {
            throw new Error(`${name} exited (${how}) before ${re}; log:\n${tail(log)}`);
          }),
        ]),
        timeoutMs,
        `${name}: waiting for ${re}`,
      ),
    stop: async () => {
      kill(child, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
      if (!done) {
        kill(child, 'SIGKILL');
        await exited;
      }
    },
  };
  return spawned;
}

/** Runs a command to completion (bounded), capturing its output. */
/**
 * Runs a command to completion (bounded), capturing its output and the CPU time it used. It runs
 * under `sh` in its own process group (so a timeout or Ctrl-C ends the whole group), and the shell
 * reports its waited-for children's CPU (cutime + cstime of /proc/$$/stat) on the last stderr line.
 */
async function runCommand(
  cmd: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string; cpuUs: number }> {
  const script = '"$0" "$@"; rc=$?; echo "BENCH_CHILD_CPU $(cut -d" " -f16,17 /proc/$$/stat)" >&2; exit $rc';
  const child = spawn('sh', ['-c', script, cmd, ...args], {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  groups.add(child);
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => kill(child, 'SIGKILL'), options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', (c) => resolve(c));
    child.on('error', () => resolve(-1));
  });
  clearTimeout(timer);
  children.delete(child);
  let cpuUs = Number.NaN;
  stderr = stderr.replace(/^BENCH_CHILD_CPU (\d+) (\d+)\n?/m, (_, u: string, s: string) => {
    cpuUs = ((Number(u) + Number(s)) / CLK_TCK) * 1e6;
    return '';
  });
  return { code, stdout, stderr, cpuUs };
}

// ───────────────────────────── small helpers ─────────────────────────────

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function dbUrl(database: string, port = PG.port): string {
  const url = new URL(ADMIN_URL);
  url.port = String(port);
  url.pathname = `/${database}`;
  return url.toString();
}

const pgEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PGHOST: PG.host,
  PGPORT: String(PG.port),
  PGUSER: PG.user,
  ...(PG.password ? { PGPASSWORD: PG.password } : {}),
});

/** The server's environment: only what the bench sets (no DATABASE_URL etc. leaking from the shell). */
function serverEnv(vars: { port: number; databaseUrl?: string; dataDir?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|DATA_DIR|PORT|HOST|MOR_.*|LOG_LEVEL|DB_POOL_MAX|NODE_OPTIONS)$/.test(k)) env[k] = v;
  }
  Object.assign(env, {
    PORT: String(vars.port),
    HOST: '127.0.0.1',
    MOR_API_SECRET_KEY: SECRET,
    MOR_ADMIN_TOKEN: ADMIN_TOKEN,
    MOR_ADMIN_PASSWORD: 'bench-admin-password',
    LOG_LEVEL: 'warn',
  });
  if (process.env.BENCH_DB_POOL_MAX) env.DB_POOL_MAX = process.env.BENCH_DB_POOL_MAX;
  if (vars.databaseUrl) env.DATABASE_URL = vars.databaseUrl;
  if (vars.dataDir) env.DATA_DIR = vars.dataDir;
  return env;
}

/** What `npm start` runs: the esbuild bundle (main() builds it first). */
const NODE_ENTRY = ['dist/node.mjs'];

async function waitHealth(base: string, proc: Spawned, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited during start; log:\n${tail(proc.log)}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`server did not answer /health within ${timeoutMs} ms; log:\n${tail(proc.log)}`);
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, text: await res.text() };
}

function rssKb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// CPU time from /proc: robust to a busy machine where req/s is not (other processes steal the CPU,
// but the CPU a request costs stays roughly the same).
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

interface ProcInfo {
  pid: number;
  ppid: number;
  /** utime + stime of all threads, in clock ticks. */
  ticks: number;
  cmdline: string;
}

function scanProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      out.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), cmdline });
    } catch {
      // exited while scanning
    }
  }
  return out;
}

/** `root` and its descendants (a cluster primary and its workers). */
function treeOf(procs: ProcInfo[], root: number): Map<number, number> {
  const keep = new Map<number, number>();
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const stack = procs.filter((p) => p.pid === root);
  while (stack.length) {
    const p = stack.pop() as ProcInfo;
    keep.set(p.pid, p.ticks);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return keep;
}

/**
 * Client backends connected to `database`. Their process title is
 * `postgres: [<cluster name>: ]<user> <database> <host>(<port>) <state>`; autovacuum workers
 * (`postgres: [<cluster>: ]autovacuum worker <database>`) are left out.
 */
function backendsOf(procs: ProcInfo[], database: string): Map<number, number> {
  const keep = new Map<number, number>();
  for (const p of procs) {
    if (!p.cmdline.startsWith('postgres: ') || p.cmdline.includes('autovacuum')) continue;
    if (p.cmdline.includes(` ${database} `)) keep.set(p.pid, p.ticks);
  }
  return keep;
}

/** CPU microseconds spent between two samples (processes that appeared count from zero). */
function cpuUs(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return (ticks / CLK_TCK) * 1e6;
}

const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const us = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} µs` : 'n/a');
const ms = (us: number) => (Number.isFinite(us) ? `${(us / 1000).toFixed(2)} ms` : 'n/a');

function log(message: string) {
  const t = ((performance.now() - T0) / 1000).toFixed(1).padStart(6);
  console.log(`[${t}s] ${message}`);
}
const T0 = performance.now();

// ───────────────────────────── tools ─────────────────────────────

function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function ensureWrk() {
  if (which('wrk')) return;
  log('wrk not found: installing the Debian package (apt-get install -y wrk)…');
  const root = process.getuid?.() === 0;
  const sudo = root ? '' : which('sudo') ? 'sudo ' : null;
  if (sudo === null) throw new Error('wrk is missing and neither root nor sudo is available: install wrk');
  const r = spawnSync('sh', ['-c', `${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq wrk`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 180_000,
  });
  if (r.status !== 0 || !which('wrk')) throw new Error('installing wrk failed');
}

// ───────────────────────────── measurements ─────────────────────────────

interface WrkResult {
  rps: number;
  requests: number;
  p50us: number;
  p90us: number;
  p99us: number;
  meanUs: number;
  errors: Record<string, number>;
  /** wrk's own CPU per request, µs. */
  clientCpuUs: number;
}

async function wrk(url: string, bodiesFile: string, seconds: number): Promise<WrkResult> {
  const args = [
    `-t${WRK.threads}`,
    `-c${WRK.connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    path.join(BENCH_DIR, 'wrk.lua'),
    url,
    '--',
    bodiesFile,
  ];
  const r = await runCommand('wrk', args, { timeoutMs: (seconds + 30) * 1000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (r.code !== 0 || !line) throw new Error(`wrk failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  const j = JSON.parse(line.slice('WRK_JSON '.length)) as {
    requests: number;
    duration_us: number;
    errors: Record<string, number>;
    latency_us: { mean: number; p50: number; p90: number; p99: number };
  };
  return {
    rps: j.requests / (j.duration_us / 1e6),
    requests: j.requests,
    p50us: j.latency_us.p50,
    p90us: j.latency_us.p90,
    p99us: j.latency_us.p99,
    meanUs: j.latency_us.mean,
    errors: j.errors,
    clientCpuUs: r.cpuUs / j.requests,
  };
}

interface PgbenchResult {
  tps: number;
  latencyMs: number;
  transactions: number;
  /** Postgres CPU per transaction, measured on the backends over the middle of the run (µs). */
  dbCpuUs: number;
  /** pgbench's own CPU per transaction, µs. */
  clientCpuUs: number;
}

/**
 * Runs pgbench with -P 1; samples the CPU of the backends on `database` in the middle of the run
 * (they exist only while pgbench runs) and divides by the transactions the progress lines report.
 */
async function pgbench(args: string[], seconds: number, database?: string): Promise<PgbenchResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const running = runCommand('pgbench', ['-P', '1', ...args], { timeoutMs: (seconds + 60) * 1000, env: pgEnv() });
  // Window: from when all clients are connected (at least 1 s in) to 0.8 s before the end.
  let from = Number.NaN;
  let to = Number.NaN;
  let before = new Map<number, number>();
  let after = new Map<number, number>();
  if (database) {
    for (;;) {
      await sleep(100);
      before = backendsOf(scanProcs(), database);
      from = elapsed();
      if ((from >= 1 && before.size >= PGBENCH.clients) || from > seconds * 0.6) break;
    }
    await sleep((seconds - 0.8 - elapsed()) * 1000);
    after = backendsOf(scanProcs(), database);
    to = elapsed();
  }
  const r = await running;
  const all = `${r.stdout}\n${r.stderr}`;
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(all);
  if (r.code !== 0 || !tps || /aborted|error/i.test(r.stderr)) {
    throw new Error(`pgbench ${args.join(' ')} failed (${r.code}):\n${all.slice(-3000)}`);
  }
  const lat = /latency average = ([\d.]+) ms/.exec(all);
  const tx = /number of transactions actually processed: (\d+)/.exec(all);
  // Each progress line gives the rate over the second before its stamp; weight by overlap with the window.
  let windowTx = 0;
  for (const m of r.stderr.matchAll(/^progress: ([\d.]+) s, ([\d.]+) tps/gm)) {
    const at = Number(m[1]);
    const overlap = Math.min(at, to) - Math.max(at - 1, from);
    if (overlap > 0) windowTx += Number(m[2]) * overlap;
  }
  const dbCpuUs = windowTx > 0 && before.size > 0 && to > from ? cpuUs(before, after) / windowTx : Number.NaN;
  return {
    tps: Number(tps[1]),
    latencyMs: lat ? Number(lat[1]) : Number.NaN,
    transactions: Number(tx?.[1] ?? 0),
    dbCpuUs,
    clientCpuUs: r.cpuUs / Number(tx?.[1] ?? Number.NaN),
  };
}

/**
 * The pgbench script for exactly the statement user_balance_get issues: drizzle's own rendering of
 * `balanceQuery`, the username becoming `('bench_user_' || :n)` with a random n, every other
 * parameter a pgbench variable (-D) so that -M prepared sends it as a parameter as postgres.js does.
 * Empty strings cannot be defined with -D and are inlined as '' (same value, same cast).
 */
function renderPgbenchScript(users: number) {
  const marker = '\u0001bench-username\u0001';
  const query = new PgDialect({ casing: 'snake_case' }).sqlToQuery(
    balanceQuery(marker, { id: 0, usertype: 'admin' }, ''),
  );
  const defines: string[] = [];
  const literal: string[] = [];
  const body = query.sql.replace(/\$(\d+)/g, (_, k: string) => {
    const value = query.params[Number(k) - 1];
    if (value === marker) return `('bench_user_' || :n)`;
    if (value === null || value === undefined) return 'null';
    if (value === '') {
      literal.push(`$${k}`);
      return `''`;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      defines.push('-D', `p${k}=${String(value)}`);
      return `:p${k}`;
    }
    throw new Error(`balanceQuery parameter $${k} has an unsupported type (${typeof value})`);
  });
  const script = `\\set n random(1, ${users})\n${body.trim().replace(/;?$/, ';')}\n`;
  return { script, defines, drizzleSql: query.sql, params: query.params.map(String), inlinedEmpty: literal };
}

// ───────────────────────────── main ─────────────────────────────

interface Row {
  name: string;
  kind: 'wrk' | 'pgbench';
  runs: {
    rps: number;
    p50us?: number;
    p99us?: number;
    latencyMs?: number;
    errors?: Record<string, number>;
    /** CPU of the answering Node process(es) per request, µs. */
    appCpuUs?: number;
    /** CPU of the Postgres backends on the bench database per request or transaction, µs. */
    dbCpuUs?: number;
    /** CPU of the load generator (wrk or pgbench) per request or transaction, µs. */
    clientCpuUs?: number;
  }[];
}

async function main() {
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'openmor-bench-'));
  onCleanup('temp dir', () => {
    if (!process.env.BENCH_KEEP_TMP) rmSync(tmpDir, { recursive: true, force: true });
  });
  const loadBefore = os.loadavg();
  log(
    `openmor bench (${QUICK ? 'quick' : 'full'}: ${RUNS} run(s) × ${DURATION_S} s) on ${os.cpus().length} CPUs, ` +
      `load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}; logs in ${tmpDir}`,
  );
  if (!which('pgbench')) throw new Error('pgbench not found (Debian: apt-get install postgresql-client)');
  ensureWrk();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

  const admin = postgres(ADMIN_URL.toString(), { max: 1, onnotice: () => {} });
  onCleanup('admin connection', () => admin.end({ timeout: 5 }));
  const pgVersion = (await admin`select version() as v`)[0]?.v as string;

  if (argv.has('--cold-only')) {
    const cold = await coldStarts(admin);
    for (const d of ['pglite', 'postgres'] as const) console.log(coldLine(cold, d));
    return;
  }

  // 1. Throwaway database + the real server.
  const dbName = DB_PREFIX;
  await admin.unsafe(`create database ${dbName}`);
  onCleanup(`drop database ${dbName}`, async () => {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  });
  const url = dbUrl(dbName);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log(`database ${dbName}; starting openmor on :${port}`);
  const server = startProcess('openmor', process.execPath, NODE_ENTRY, serverEnv({ port, databaseUrl: url }));
  onCleanup('openmor', () => server.stop());
  await waitHealth(base, server);

  // Settings through the server's own API (tRPC, admin bearer token).
  const trpc = await fetch(`${base}/trpc/settings.update`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ allowBalanceOverHttp: true }),
  });
  const trpcBody = await trpc.text();
  if (!trpc.ok || !trpcBody.includes('"allowBalanceOverHttp":true')) {
    throw new Error(`settings.update failed: ${trpc.status} ${trpcBody}`);
  }

  // Users as an operator makes them: tRPC users.create (PBKDF2 per password: 8 in flight), then a
  // payment each so balances differ (payments.create, the ledger's path).
  const db = postgres(url, { max: 1, onnotice: () => {} });
  onCleanup('bench db connection', () => db.end({ timeout: 5 }));
  const trpcCall = async (procedure: string, input: unknown) => {
    const r = await fetch(`${base}/trpc/${procedure}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${procedure}: ${r.status} ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { result: { data: { id: number } } }).result.data;
  };
  let nextUser = 1;
  const seedStarted = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let n = nextUser++; n <= USERS; n = nextUser++) {
        const user = await trpcCall('users.create', { username: `bench_user_${n}`, password: `Bench-pass-${n}-x` });
        const amount = ((n * 7919) % 200_000) / 100 + 0.01;
        await trpcCall('payments.create', { userId: user.id, currency: 'USD', amount: amount.toFixed(2) });
      }
    }),
  );
  log(
    `users.create + payments.create for ${USERS} users in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );
  log(`seeded ${USERS} users; allowBalanceOverHttp on via tRPC`);

  // wrk request bodies: u=admin, username, hash = sha1(username + currency('') + key).
  const bodiesFile = path.join(tmpDir, 'bodies.txt');
  const bodies = Array.from({ length: USERS }, (_, i) => {
    const username = `bench_user_${i + 1}`;
    return `u=admin&username=${username}&hash=${sha1(username + SECRET)}`;
  });
  await writeFile(bodiesFile, `${bodies.join('\n')}\n`);
  const ubgUrl = (b: string) => `${b}/billing/api/user_balance_get`;

  // Correctness before speed: random users answer their exact balance.
  for (let k = 0; k < 20; k++) {
    const n = 1 + Math.floor(Math.random() * USERS);
    const [row] = await db`select round(balance, 4)::text as b from users where username = ${`bench_user_${n}`}`;
    const r = await post(ubgUrl(base), bodies[n - 1] as string);
    if (r.status !== 200 || !r.text.includes(`<balance>${row?.b}</balance>`)) {
      throw new Error(`user_balance_get check failed for bench_user_${n} (want ${row?.b}): ${r.status} ${r.text}`);
    }
  }

  // 2. Bare Hono.
  const barePort = await freePort();
  const bareBase = `http://127.0.0.1:${barePort}`;
  const bare = startProcess('bare', process.execPath, ['--import', 'tsx', 'bench/bare.ts'], {
    ...process.env,
    PORT: String(barePort),
  });
  onCleanup('bare', () => bare.stop());
  await bare.waitFor(/bare listening/, 30_000);
  const bareCheck = await post(ubgUrl(bareBase), bodies[0] as string);
  if (!bareCheck.text.includes('<balance>66.0000</balance>')) throw new Error(`bare answered ${bareCheck.text}`);

  // Optional variants on the same database.
  const variants: { name: string; base: string; proc: Spawned }[] = [];
  if (!argv.has('--no-cluster')) {
    const p = await freePort();
    const proc = startProcess(
      'openmor-cluster',
      process.execPath,
      ['--import', 'tsx', 'bench/cluster.ts'],
      serverEnv({ port: p, databaseUrl: url }),
    );
    onCleanup('openmor cluster', () => proc.stop());
    await proc.waitFor(/cluster ready/, 60_000);
    variants.push({ name: 'user_balance_get, 2 processes (node:cluster)', base: `http://127.0.0.1:${p}`, proc });
  }
  for (const file of VARIANTS) {
    const name = path.basename(file, '.ts');
    const p = await freePort();
    const proc = startProcess(
      `variant-${name}`,
      process.execPath,
      ['--import', 'tsx', file],
      serverEnv({ port: p, databaseUrl: url }),
    );
    onCleanup(`variant ${name}`, () => proc.stop());
    await waitHealth(`http://127.0.0.1:${p}`, proc);
    variants.push({ name: `variant: ${name}`, base: `http://127.0.0.1:${p}`, proc });
  }
  for (const v of variants) {
    const r = await post(ubgUrl(v.base), bodies[0] as string);
    if (!/<balance>-?\d+\.\d{4}<\/balance>/.test(r.text)) throw new Error(`${v.name} answered ${r.text}`);
  }

  // 3. Hot path: statements and round trips per request, counted on the wire.
  const hotPath: Record<string, unknown> = {};
  const entries: [string, string[]][] = [
    ['shipped', NODE_ENTRY],
    ...VARIANTS.map((f): [string, string[]] => [path.basename(f, '.ts'), ['--import', 'tsx', f]]),
  ];
  for (const [label, entry] of entries) hotPath[label] = await countHotPath(label, entry, dbName, db, bodies);

  // 4. pgbench: the same statement, and -S for reference.
  const rendered = renderPgbenchScript(USERS);
  const scriptFile = path.join(tmpDir, 'user_balance_get.sql');
  await writeFile(scriptFile, rendered.script);
  {
    // The rendered statement finds a seeded user (literal n, parameters inlined).
    let check = rendered.script.split('\n').slice(1).join('\n').replace(':n', '7');
    for (let i = 0; i < rendered.defines.length; i += 2) {
      const [k, v] = (rendered.defines[i + 1] as string).split(/=(.*)/s) as [string, string];
      check = check.replaceAll(`:${k}`, /^-?\d+$/.test(v) ? v : `'${v.replaceAll("'", "''")}'`);
    }
    const rows = await db.unsafe(check);
    if (rows.length !== 1) throw new Error(`rendered pgbench statement returned ${rows.length} rows:\n${check}`);
  }
  log(`pgbench -i -s ${PGBENCH.scale} (for the -S reference)…`);
  const init = await runCommand('pgbench', ['-i', '-s', String(PGBENCH.scale), '-q', dbName], {
    timeoutMs: 180_000,
    env: pgEnv(),
  });
  if (init.code !== 0) throw new Error(`pgbench -i failed:\n${init.stderr}`);

  const pgbenchSqlArgs = (seconds: number) => [
    '-M',
    'prepared',
    '-c',
    String(PGBENCH.clients),
    '-j',
    String(PGBENCH.jobs),
    '-T',
    String(seconds),
    '-n',
    '-f',
    scriptFile,
    ...rendered.defines,
    dbName,
  ];
  const pgbenchSArgs = (seconds: number) => [
    '-S',
    '-c',
    String(PGBENCH.clients),
    '-j',
    String(PGBENCH.jobs),
    '-T',
    String(seconds),
    dbName,
  ];

  // Warm-up: JIT, pools, caches.
  log('warm-up…');
  await wrk(ubgUrl(bareBase), bodiesFile, WARMUP_S + 1);
  await wrk(ubgUrl(base), bodiesFile, WARMUP_S + 1);
  for (const v of variants) await wrk(ubgUrl(v.base), bodiesFile, WARMUP_S + 1);
  // (pgbench needs a few seconds: 32 connections are opened first.)
  await pgbench(pgbenchSqlArgs(WARMUP_S + 2), WARMUP_S + 2).catch((error: Error) =>
    log(`pgbench warm-up: ${error.message.split('\n')[0]}`),
  );

  const rows: Row[] = [
    { name: 'bare Hono (constant XML)', kind: 'wrk', runs: [] },
    { name: 'user_balance_get', kind: 'wrk', runs: [] },
    ...variants.map((v) => ({ name: v.name, kind: 'wrk' as const, runs: [] })),
    { name: 'pgbench: user_balance_get SQL (-M prepared)', kind: 'pgbench', runs: [] },
    { name: `pgbench -S (scale ${PGBENCH.scale})`, kind: 'pgbench', runs: [] },
  ];
  const [rowBare, rowUbg] = rows as [Row, Row];
  const rowVariants = rows.slice(2, 2 + variants.length);
  const rowSql = rows[2 + variants.length] as Row;
  const rowS = rows[3 + variants.length] as Row;

  const wrkRun = async (row: Row, target: string, pid: number) => {
    await wrk(target, bodiesFile, WARMUP_S);
    const p0 = scanProcs();
    const r = await wrk(target, bodiesFile, DURATION_S);
    const p1 = scanProcs();
    const appCpuUs = cpuUs(treeOf(p0, pid), treeOf(p1, pid)) / r.requests;
    const db0 = backendsOf(p0, dbName);
    const dbCpuUs = db0.size > 0 ? cpuUs(db0, backendsOf(p1, dbName)) / r.requests : Number.NaN;
    row.runs.push({
      rps: r.rps,
      p50us: r.p50us,
      p99us: r.p99us,
      errors: r.errors,
      appCpuUs,
      dbCpuUs,
      clientCpuUs: r.clientCpuUs,
    });
    const errs = Object.values(r.errors).reduce((a, b) => a + b, 0);
    log(
      `  ${row.name}: ${fmt(r.rps)} req/s, p50 ${ms(r.p50us)}, p99 ${ms(r.p99us)}, ` +
        `CPU/req node ${us(appCpuUs)} pg ${us(dbCpuUs)} wrk ${us(r.clientCpuUs)}${errs ? `, ERRORS ${errs}` : ''}`,
    );
  };
  const pgRun = async (row: Row, args: string[]) => {
    const r = await pgbench(args, DURATION_S, dbName);
    row.runs.push({ rps: r.tps, latencyMs: r.latencyMs, dbCpuUs: r.dbCpuUs, clientCpuUs: r.clientCpuUs });
    log(
      `  ${row.name}: ${fmt(r.tps)} tps, latency avg ${r.latencyMs.toFixed(2)} ms, ` +
        `CPU/tx pg ${us(r.dbCpuUs)} pgbench ${us(r.clientCpuUs)}`,
    );
  };

  for (let run = 1; run <= RUNS; run++) {
    log(`run ${run}/${RUNS}`);
    await wrkRun(rowBare, ubgUrl(bareBase), bare.pid);
    await wrkRun(rowUbg, ubgUrl(base), server.pid);
    await pgRun(rowSql, pgbenchSqlArgs(DURATION_S));
    for (const [i, v] of variants.entries()) await wrkRun(rowVariants[i] as Row, ubgUrl(v.base), v.proc.pid);
    await pgRun(rowS, pgbenchSArgs(DURATION_S));
  }

  const loadedRss = { single: rssKb(server.pid), bare: rssKb(bare.pid) };

  // Optional CPU profile of the single process under load.
  let profile: ProfileSummary | null = null;
  if (argv.has('--profile')) profile = await profileServer(url, bodiesFile);

  // Free the CPU for the cold starts.
  for (const v of variants) await v.proc.stop();
  await bare.stop();
  await server.stop();

  // 6. Cold start to first answer, and idle memory.
  const cold = await coldStarts(admin);

  // 5. Report.
  const med = (row: Row) => median(row.runs.map((r) => r.rps));
  const medOf = (row: Row, k: 'p50us' | 'p99us') => median(row.runs.map((r) => r[k] ?? Number.NaN));
  const ratioSql = med(rowUbg) / med(rowSql);
  const ratioBare = med(rowUbg) / med(rowBare);
  const loadAfter = os.loadavg();

  const medCpu = (row: Row, k: 'appCpuUs' | 'dbCpuUs' | 'clientCpuUs') =>
    median(row.runs.map((r) => r[k] ?? Number.NaN));
  /** Operations per second the machine's CPUs would allow if every participant only spent its measured CPU. */
  const cpuBound = (row: Row) =>
    (os.cpus().length * 1e6) /
    ((row.kind === 'wrk' ? medCpu(row, 'appCpuUs') : 0) + medCpu(row, 'dbCpuUs') + medCpu(row, 'clientCpuUs'));
  const table = [
    ['', 'median', 'runs', 'p50', 'p99', 'CPU/op: node', 'pg', 'client', 'CPU-bound'],
    ...rows.map((row) => [
      row.name,
      `${fmt(med(row))} ${row.kind === 'wrk' ? 'req/s' : 'tps'}`,
      row.runs.map((r) => fmt(r.rps)).join(' / '),
      row.kind === 'wrk'
        ? ms(medOf(row, 'p50us'))
        : `avg ${median(row.runs.map((r) => r.latencyMs ?? 0)).toFixed(2)} ms`,
      row.kind === 'wrk' ? ms(medOf(row, 'p99us')) : '',
      row.kind === 'wrk' ? us(medCpu(row, 'appCpuUs')) : '',
      us(medCpu(row, 'dbCpuUs')),
      us(medCpu(row, 'clientCpuUs')),
      `${fmt(cpuBound(row))}/s`,
    ]),
  ];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');

  console.log('');
  console.log(
    `openmor bench — ${QUICK ? 'QUICK (1 run × 3 s: smoke only)' : `median of ${RUNS} interleaved runs × ${DURATION_S} s`}, ` +
      `wrk -t${WRK.threads} -c${WRK.connections}, pgbench -c${PGBENCH.clients} -j${PGBENCH.jobs}`,
  );
  console.log(
    `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average before ${loadBefore[0]?.toFixed(2)}, after ${loadAfter[0]?.toFixed(2)}; ${pgVersion.split(' on ')[0]}; Node ${process.version}`,
  );
  console.log('');
  console.log(line(table[0] as string[]));
  for (const r of table.slice(1)) console.log(line(r));
  console.log('');
  console.log(
    `user_balance_get / pgbench SQL = ${ratioSql.toFixed(2)}  (target ≥ 0.70: ${ratioSql >= 0.7 ? 'MET' : 'NOT MET'})`,
  );
  console.log(`user_balance_get / bare        = ${ratioBare.toFixed(2)}`);
  const cpuRatio = cpuBound(rowUbg) / cpuBound(rowSql);
  console.log(
    `same ratio from CPU cost per operation (less sensitive to other load on the machine): ` +
      `user_balance_get / pgbench SQL = ${cpuRatio.toFixed(2)}, user_balance_get / bare = ${(cpuBound(rowUbg) / cpuBound(rowBare)).toFixed(2)}`,
  );
  for (const [i, v] of variants.entries()) {
    console.log(`${v.name} / pgbench SQL = ${(med(rowVariants[i] as Row) / med(rowSql)).toFixed(2)}`);
  }
  const errors = rows.flatMap((r) =>
    r.runs.flatMap((x) =>
      Object.entries(x.errors ?? {})
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${r.name}: ${k} ${n}`),
    ),
  );
  if (errors.length) console.log(`wrk reported errors: ${errors.join('; ')}`);
  console.log('');
  for (const [label, h] of Object.entries(hotPath)) {
    const x = h as { hot: ReturnType<typeof perRequest>; miss: ReturnType<typeof perRequest> };
    console.log(
      `hot path (${label}): ${x.hot.statements} statement(s), ${x.hot.roundTrips} round trip(s), ${x.hot.parse} parse(s) per request ` +
        `[auth cached]; after an auth invalidation: ${x.miss.statements} statements, ${x.miss.roundTrips} round trips`,
    );
  }
  console.log('');
  console.log(coldLine(cold, 'pglite'));
  console.log(coldLine(cold, 'postgres'));
  console.log(`RSS after the load runs: openmor ${mb(loadedRss.single)}, bare ${mb(loadedRss.bare)}`);
  if (profile) printProfile(profile);
  if (QUICK) console.log('\n(--quick: one short run, figures are a smoke test, not a measurement)');

  const resultsDir = path.join(BENCH_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${STAMP}${QUICK ? '-quick' : ''}.json`);
  const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).stdout?.toString().trim();
  await writeFile(
    file,
    `${JSON.stringify(
      {
        when: new Date().toISOString(),
        commit,
        options: {
          quick: QUICK,
          runs: RUNS,
          durationS: DURATION_S,
          warmupS: WARMUP_S,
          users: USERS,
          wrk: WRK,
          pgbench: PGBENCH,
        },
        machine: {
          cpus: os.cpus().length,
          model: os.cpus()[0]?.model,
          loadBefore,
          loadAfter,
          node: process.version,
          postgres: pgVersion,
        },
        rows: rows.map((r) => ({ ...r, median: med(r), cpuBound: cpuBound(r) })),
        ratios: {
          userBalanceGetOverPgbenchSql: ratioSql,
          userBalanceGetOverBare: ratioBare,
          target: 0.7,
          byCpuCost: {
            userBalanceGetOverPgbenchSql: cpuRatio,
            userBalanceGetOverBare: cpuBound(rowUbg) / cpuBound(rowBare),
          },
        },
        hotPath,
        pgbenchScript: rendered,
        coldStart: cold,
        rssAfterLoadKb: loadedRss,
        profile,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nresults: ${path.relative(ROOT, file)}`);
}

// ───────────────────────────── hot-path count ─────────────────────────────

/** Starts a server whose pool goes through the counting proxy and counts what requests cost. */
async function countHotPath(label: string, entry: string[], dbName: string, db: postgres.Sql, bodies: string[]) {
  const proxy = await startWireProxy({ host: PG.host, port: PG.port });
  onCleanup(`wire proxy ${label}`, () => proxy.close());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    `hotpath-${label}`,
    process.execPath,
    entry,
    serverEnv({ port, databaseUrl: dbUrl(dbName, proxy.port) }),
  );
  onCleanup(`hot-path server ${label}`, () => proc.stop());
  try {
    await waitHealth(base, proc);
    const call = async () => {
      const r = await post(
        `${base}/billing/api/user_balance_get`,
        bodies[Math.floor(Math.random() * bodies.length)] as string,
      );
      if (r.status !== 200 || !r.text.includes('<balance>')) throw new Error(`hot-path check: ${r.status} ${r.text}`);
    };
    for (let i = 0; i < 5; i++) await call();
    const n = 200;
    const a = proxy.counts();
    for (let i = 0; i < n; i++) await call();
    const b = proxy.counts();
    // Auth cache miss: what every instance does after NOTIFY openmor_auth.
    await db`select pg_notify('openmor_auth', 'bench')`;
    await sleep(300);
    const c = proxy.counts();
    await call();
    const d = proxy.counts();
    const result = { requests: n, hot: perRequest(a, b, n), miss: perRequest(c, d, 1) };
    log(
      `hot path (${label}): ${result.hot.statements} statement(s), ${result.hot.roundTrips} round trip(s), ` +
        `${result.hot.parse} Parse per request; auth miss: ${result.miss.statements} statements`,
    );
    return result;
  } finally {
    await proc.stop();
    await proxy.close();
  }
}

// ───────────────────────────── cold start ─────────────────────────────

/** Wall time to the first answer, the server's CPU time until then, idle RSS after a few requests. */
type Cold = Record<'pglite' | 'postgres', { ms: number; cpuMs: number; rssKb: number | null; error?: string }[]>;

/** Interleaved cold starts; later runs are skipped (and said so) when the bench is over its time budget. */
async function coldStarts(admin: postgres.Sql): Promise<Cold> {
  log('cold starts…');
  const cold: Cold = { pglite: [], postgres: [] };
  for (let run = 1; run <= RUNS; run++) {
    if (run > 1 && performance.now() - T0 > SOFT_LIMIT_MS) {
      log(`  over the time budget: cold starts stop after ${run - 1} run(s)`);
      break;
    }
    for (const driver of ['pglite', 'postgres'] as const) {
      try {
        const r = await coldStart(driver, run, admin);
        cold[driver].push(r);
        log(
          `  ${driver}: first answer after ${r.ms.toFixed(0)} ms (server CPU ${r.cpuMs.toFixed(0)} ms), idle RSS ${mb(r.rssKb)}`,
        );
      } catch (error) {
        const message = (error as Error).message;
        cold[driver].push({ ms: Number.NaN, cpuMs: Number.NaN, rssKb: null, error: message });
        log(`  ${driver}: FAILED: ${message.split('\n')[0]}`);
      }
    }
  }
  return cold;
}

const coldLine = (cold: Cold, d: 'pglite' | 'postgres') => {
  const ok = cold[d].filter((c) => !c.error);
  return (
    `cold start to first system_version_get (${d}): ${median(ok.map((c) => c.ms)).toFixed(0)} ms median ` +
    `(${cold[d].map((c) => (c.error ? 'failed' : c.ms.toFixed(0))).join(' / ')}), ` +
    `server CPU ${median(ok.map((c) => c.cpuMs)).toFixed(0)} ms; ` +
    `idle RSS ${mb(median(ok.map((c) => c.rssKb ?? Number.NaN)))}`
  );
};

const COLD_TIMEOUT_MS = 90_000;

async function coldStart(driver: 'pglite' | 'postgres', run: number, admin: postgres.Sql) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let env: NodeJS.ProcessEnv;
  let drop = async () => {};
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(path.join(tmpDir, `pglite-${run}-`));
    env = serverEnv({ port, dataDir });
    drop = async () => rmSync(dataDir, { recursive: true, force: true });
  } else {
    const name = `${DB_PREFIX}_cold${run}`;
    await admin.unsafe(`create database ${name}`);
    env = serverEnv({ port, databaseUrl: dbUrl(name) });
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    };
  }
  onCleanup(`cold ${driver} ${run} data`, drop);
  const body = `u=admin&hash=${sha1(SECRET)}`;
  const started = performance.now();
  const proc = startProcess(`cold-${driver}-${run}`, process.execPath, NODE_ENTRY, env);
  onCleanup(`cold ${driver} ${run}`, () => proc.stop());
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  try {
    let elapsed = Number.NaN;
    let cpuMs = Number.NaN;
    while (performance.now() - started < COLD_TIMEOUT_MS) {
      if (exited) throw new Error(`cold ${driver} server exited; log:\n${tail(proc.log)}`);
      try {
        const r = await post(`${base}/billing/api/system_version_get`, body);
        if (r.status === 200 && r.text.includes('<version>')) {
          elapsed = performance.now() - started;
          cpuMs = cpuUs(new Map(), treeOf(scanProcs(), proc.pid)) / 1000;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(5);
    }
    if (Number.isNaN(elapsed)) {
      throw new Error(`cold ${driver}: no answer within ${COLD_TIMEOUT_MS / 1000} s; log:\n${tail(proc.log)}`);
    }
    for (let i = 0; i < 20; i++) await post(`${base}/billing/api/system_version_get`, body);
    await sleep(500);
    return { ms: elapsed, cpuMs, rssKb: rssKb(proc.pid) };
  } finally {
    await proc.stop();
    await drop();
  }
}

// ───────────────────────────── CPU profile ─────────────────────────────

interface ProfileSummary {
  /** Main-thread time sampled inside the measured wrk window. */
  windowMs: number;
  requests: number;
  packages: { name: string; selfMs: number; share: number }[];
  functions: { name: string; selfMs: number; share: number }[];
  /** Inclusive time of openmor's own functions (what each step of the request costs, callees included). */
  inclusive: { name: string; selfMs: number; share: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Monotonic microseconds, the clock V8's profiler stamps samples with (CLOCK_MONOTONIC on Linux). */
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

async function profileServer(url: string, bodiesFile: string): Promise<ProfileSummary> {
  const dir = path.join(tmpDir, 'cpu-profile');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const proc = startProcess(
    'openmor-profiled',
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...NODE_ENTRY],
    serverEnv({ port, databaseUrl: url }),
  );
  onCleanup('profiled server', () => proc.stop());
  const target = `http://127.0.0.1:${port}/billing/api/user_balance_get`;
  await waitHealth(`http://127.0.0.1:${port}`, proc);
  log('profiling the server under load…');
  await wrk(target, bodiesFile, WARMUP_S + 1);
  const from = monoUs();
  const r = await wrk(target, bodiesFile, Math.min(DURATION_S, 5));
  const to = monoUs();
  await proc.stop();
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (others: tsx's hooks).
  const file = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error(`no main-thread .cpuprofile in ${dir}`);
  const prof = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  return summariseProfile(prof, from, to, r.requests);
}

function summariseProfile(prof: CpuProfile, from: number, to: number, requests: number): ProfileSummary {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const where = (url: string) => url.replace(/^file:\/\//, '').replace(ROOT, '');
  const label = (f: CpuProfile['nodes'][number]['callFrame']) =>
    `${f.functionName || '(anonymous)'}${f.url ? ` ${where(f.url)}:${f.lineNumber + 1}` : ''}`;
  const packageOf = (f: CpuProfile['nodes'][number]['callFrame']) => {
    const w = where(f.url);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(w)?.[1];
    if (pkg) return pkg;
    if (w.startsWith('src/')) return w.split('/').slice(0, 2).join('/');
    if (w.startsWith('node:')) return 'node: (core, JS)';
    return f.functionName || '(unknown)';
  };
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const incl = new Map<string, number>();
  let t = prof.startTime;
  let total = 0;
  for (const [i, id] of prof.samples.entries()) {
    const dt = prof.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from || t > to) continue;
    const node = byId.get(id);
    if (!node) continue;
    total += dt;
    fns.set(label(node.callFrame), (fns.get(label(node.callFrame)) ?? 0) + dt);
    pkgs.set(packageOf(node.callFrame), (pkgs.get(packageOf(node.callFrame)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (!f || !where(f.url).startsWith('src/')) continue;
      const k = label(f);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 1000),
        share: total > 0 ? Math.round((us / total) * 1000) / 10 : 0,
      }));
  return {
    windowMs: Math.round(total / 1000),
    requests,
    packages: top(pkgs, 15),
    functions: top(fns, 25),
    inclusive: top(incl, 15),
  };
}

function printProfile(p: ProfileSummary) {
  console.log(
    `\nCPU profile of one server process under wrk load: ${p.windowMs} ms of main-thread samples, ${fmt(p.requests)} requests ` +
      '(shares of main-thread time; "(idle)" = waiting for I/O or for a CPU)',
  );
  console.log('self time by package:');
  for (const x of p.packages) console.log(`  ${x.share.toFixed(1).padStart(5)}%  ${x.name}`);
  console.log('top functions by self time:');
  for (const x of p.functions.slice(0, 15)) console.log(`  ${x.share.toFixed(1).padStart(5)}%  ${x.name}`);
  console.log("openmor's functions, inclusive time (callees included):");
  for (const x of p.inclusive) console.log(`  ${x.share.toFixed(1).padStart(5)}%  ${x.name}`);
}

// ───────────────────────────── go ─────────────────────────────

let failed = false;
try {
  if (!existsSync(path.join(ROOT, 'src/entry/node.ts'))) throw new Error('run from the openmor repository');
  await main();
} catch (error) {
  failed = true;
  if (!interrupted) console.error(`\nbench failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
