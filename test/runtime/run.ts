/**
 * Runtime tests (`npm run test:runtimes`): starts the real server on Node, Deno and workerd
 * (`wrangler dev`), waits for /health and runs the shared smoke script (smoke.ts) against each.
 * Postgres runs get a throwaway database on RUNTIME_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * dropped afterwards; PGlite runs a temporary DATA_DIR. Every child runs in its own process group and
 * is killed with it, on success, failure, timeout or Ctrl-C.
 *
 *   npm run test:runtimes                   # all runs
 *   npm run test:runtimes -- deno workerd   # only the runs whose name contains one of the words
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { scheduledDelivery } from './scheduled.ts';
import { smoke } from './smoke.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = (name: string) => join(ROOT, 'node_modules/.bin', name);
const PG_URL = process.env.RUNTIME_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const SECRETS = {
  MOR_API_SECRET_KEY: 'runtime-secret-key',
  MOR_ADMIN_PASSWORD: 'runtime-admin-password',
  MOR_ADMIN_TOKEN: 'runtime-admin-token-0123456789',
};

/** Variables of the parent that would change what the server does: never inherited. */
const CONFIG_KEYS = /^(DATABASE_URL|DATA_DIR|PORT|HOST|LOG_LEVEL|DB_POOL_MAX|MOR_.*)$/;

const QUIET_TOOLS = {
  // Deno: no update check, no permission prompts.
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
  // Wrangler: no telemetry, no error reports, no banner, no config watcher, never interactive.
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  WRANGLER_CI_DISABLE_CONFIG_WATCHING: 'true',
  CI: 'true',
  NO_COLOR: '1',
};

interface Run {
  name: string;
  database: 'pglite' | 'postgres';
  /**
   * Seconds allowed from spawn to the first healthy /health. Generous: PGlite's first start (WASM
   * compile + initdb) takes ~15-25 s on an idle 2-CPU box and about a minute on a loaded one.
   */
  startTimeout: number;
  /** Also fire the Cron Trigger and check what it delivers (workerd: scheduled.ts). */
  scheduled?: boolean;
  command(port: number, env: Record<string, string>): { file: string; args: string[]; env: Record<string, string> };
}

const nodeRun = (database: Run['database']): Run => ({
  name: `node (${database})`,
  database,
  startTimeout: database === 'pglite' ? 180 : 90,
  // What `npm start` runs: the esbuild bundle of src/entry/node.ts (built once below).
  command: (_port, env) => ({ file: process.execPath, args: ['dist/node.mjs'], env }),
});

const denoRun = (database: Run['database']): Run => ({
  name: `deno (${database})`,
  database,
  startTimeout: database === 'pglite' ? 180 : 90,
  command: (_port, env) => ({ file: BIN('deno'), args: ['run', '-A', 'src/entry/deno.ts'], env }),
});

const workerdRun: Run = {
  name: 'workerd (postgres)',
  database: 'postgres',
  startTimeout: 180,
  scheduled: true,
  // Worker vars come from --var, not from the process environment.
  command: (port, env) => ({
    file: BIN('wrangler'),
    args: [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      '0',
      '--show-interactive-dev-session=false',
      // GET /__scheduled fires the Cron Trigger (wrangler.toml [triggers]).
      '--test-scheduled',
      '--log-level',
      'log',
      ...Object.entries(env)
        .filter(([key]) => CONFIG_KEYS.test(key) && !['PORT', 'HOST', 'DATA_DIR'].includes(key))
        .flatMap(([key, value]) => ['--var', `${key}:${value}`]),
    ],
    env: Object.fromEntries(Object.entries(env).filter(([key]) => !CONFIG_KEYS.test(key))),
  }),
};

const RUNS: Run[] = [nodeRun('postgres'), nodeRun('pglite'), denoRun('postgres'), denoRun('pglite'), workerdRun];

// ---------------------------------------------------------------------------------------------
// Cleanup registry: whatever happens, children die and databases and folders are removed.

const cleanups = new Set<() => Promise<void>>();
async function cleanupAll() {
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(pending.map((fn) => fn()));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping every child and cleaning up...`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Kills the child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
async function killGroup(child: ChildProcess, graceMs = 5_000) {
  const pid = child.pid;
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) signal('SIGKILL');
  while (alive() && Date.now() < deadline + 2_000) await sleep(100);
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited before becoming healthy (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`no healthy /health within ${timeoutMs / 1000}s`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

interface Outcome {
  name: string;
  ok: boolean;
  startMs?: number;
  lines: string[];
  output: string;
}

async function execute(run: Run): Promise<Outcome> {
  const lines: string[] = [];
  let output = '';
  const local = new Set<() => Promise<void>>();
  const onCleanup = (fn: () => Promise<void>) => {
    local.add(fn);
    cleanups.add(fn);
  };
  try {
    const port = await freePort();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !CONFIG_KEYS.test(key)) env[key] = value;
    }
    Object.assign(env, QUIET_TOOLS, SECRETS, { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' });

    if (run.database === 'postgres') {
      const name = `openmor_rt_${run.name.split(' ')[0]}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const admin = postgres(PG_URL, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      await admin.unsafe(`create database ${name}`);
      onCleanup(async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end({ timeout: 5 });
      });
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'openmor-rt-'));
      onCleanup(() => rm(dir, { recursive: true, force: true }));
      env.DATA_DIR = join(dir, 'data');
    }

    const { file, args, env: childEnv } = run.command(port, env);
    const started = Date.now();
    const child = spawn(file, args, { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Registered after the database cleanup: cleanups run in reverse below, so the server dies first.
    onCleanup(() => killGroup(child));
    const capture = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    child.on('error', (error) => capture(Buffer.from(`spawn error: ${error.message}\n`)));

    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, child, run.startTimeout * 1000);
    const startMs = Date.now() - started;

    const smokeStarted = Date.now();
    const results = await smoke({
      baseUrl,
      apiSecretKey: SECRETS.MOR_API_SECRET_KEY,
      adminToken: SECRETS.MOR_ADMIN_TOKEN,
      driver: run.database,
    });
    for (const r of results) lines.push(`    ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
    let ok = results.every((r) => r.ok);
    lines.push(`    smoke ${seconds(Date.now() - smokeStarted)}`);
    if (run.scheduled) {
      try {
        lines.push(`    ok   cron trigger: ${await scheduledDelivery(baseUrl, SECRETS.MOR_ADMIN_TOKEN)}`);
      } catch (error) {
        ok = false;
        lines.push(`    FAIL cron trigger — ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { name: run.name, ok, startMs, lines, output };
  } catch (error) {
    lines.push(`    error: ${error instanceof Error ? error.message : String(error)}`);
    return { name: run.name, ok: false, lines, output };
  } finally {
    for (const fn of [...local].reverse()) {
      cleanups.delete(fn);
      await fn().catch((error) => lines.push(`    cleanup error: ${String(error)}`));
    }
  }
}

const filters = process.argv.slice(2).map((f) => f.toLowerCase());
const selected = filters.length ? RUNS.filter((run) => filters.some((f) => run.name.includes(f))) : RUNS;
if (selected.length === 0) {
  console.error(`no run matches ${filters.join(', ')}; runs: ${RUNS.map((r) => r.name).join(', ')}`);
  process.exit(2);
}

const outcomes: Outcome[] = [];
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
for (const run of selected) {
  console.log(`▶ ${run.name}`);
  const outcome = await execute(run);
  outcomes.push(outcome);
  const start = outcome.startMs === undefined ? '' : `  (start → /health ${seconds(outcome.startMs)})`;
  console.log(`${outcome.ok ? 'PASS' : 'FAIL'} ${run.name}${start}`);
  for (const line of outcome.lines) console.log(line);
  if (!outcome.ok) {
    console.log(`    --- server output (last 4000 characters) ---`);
    console.log(
      outcome.output
        .slice(-4000)
        .split('\n')
        .map((l) => `    | ${l}`)
        .join('\n'),
    );
  }
}
await cleanupAll();

const failed = outcomes.filter((o) => !o.ok);
console.log(
  failed.length === 0
    ? `\nruntimes: all ${outcomes.length} passed`
    : `\nruntimes: ${failed.length} of ${outcomes.length} FAILED (${failed.map((o) => o.name).join(', ')})`,
);
process.exit(failed.length === 0 ? 0 : 1);
