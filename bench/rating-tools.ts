/** Process, wrk and pgbench helpers of bench/rating.ts. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a server process; resolves once a line matches `ready`. */
export async function startServer(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  // The server logs a line per request (LOG_LEVEL=info): once it is ready, this process only keeps the
  // last chunks for a crash report, without decoding or scanning them, so the bench's own reading
  // costs the 2 CPUs as little as a log shipper would.
  let tail: Buffer[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk);
    if (tail.length > 4) tail = tail.slice(-2);
  };
  const lastOutput = () => (output + Buffer.concat(tail).toString()).slice(-8000);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      if (ready.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData).on('data', keep);
        child.stderr?.off('data', onData).on('data', keep);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}):\n${lastOutput()}`)));
  });
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${name} exited unexpectedly (${code ?? signal}); its last output:\n${lastOutput()}`);
  });
  return {
    pid: child.pid!,
    stop: async () => {
      stopping = true;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      children.delete(child);
    },
  };
}

/** Runs a command to completion and returns its output (throws on a non-zero exit). */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.on('error', (error) => {
      children.delete(child);
      reject(new Error(`${cmd} could not be started (${error.message}); is it installed?`));
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) => {
      children.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out.slice(-3000)}`));
    });
  });
}

export interface WrkResult {
  rps: number;
  requests: number;
  seconds: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  /** CPU (user + system, all threads) of the answering process per request, in µs, when its pid was given. */
  serverUs?: number;
}

/** CPU time a process has used, in µs (Linux /proc: user + system clock ticks of 10 ms). */
export function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * Exits with instructions (never a spawn ENOENT) when a tool the bench drives is missing: wrk and
 * pgbench are not npm packages. Debian/Ubuntu: `apt-get install -y wrk postgresql-client`.
 */
export function requireTools(tools: { name: string; install: string }[]): void {
  const missing = tools.filter(({ name }) => spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0);
  if (missing.length === 0) return;
  for (const { name, install } of missing)
    console.error(`bench:rating needs \`${name}\` on PATH. Install it: ${install}`);
  process.exit(2);
}

/** wrk with bench/rating-wrk.lua; `scriptArgs` go after `--`. */
export async function wrk(
  url: string,
  seconds: number,
  connections: number,
  threads: number,
  scriptArgs: string[],
  serverPid?: number,
): Promise<WrkResult> {
  const cpuBefore = serverPid === undefined ? 0 : cpuUs(serverPid);
  const out = await run('wrk', [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '-s',
    'bench/rating-wrk.lua',
    url,
    '--',
    ...scriptArgs,
  ]);
  const json = /WRK_JSON (\{.*\})/.exec(out)?.[1];
  if (!json) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(json) as { requests: number; duration_us: number; non2xx: number; p50: number; p99: number };
  const serverUs = serverPid === undefined ? undefined : (cpuUs(serverPid) - cpuBefore) / r.requests;
  return {
    rps: r.requests / (r.duration_us / 1e6),
    requests: r.requests,
    seconds: r.duration_us / 1e6,
    p50ms: r.p50 / 1000,
    p99ms: r.p99 / 1000,
    non2xx: r.non2xx,
    serverUs,
  };
}

/**
 * Several wrk results of one style as one: requests over time, server CPU weighted by requests (the
 * latency figures are the slowest slice's).
 */
export function combineWrk(slices: WrkResult[]): WrkResult {
  const requests = slices.reduce((n, x) => n + x.requests, 0);
  const seconds = slices.reduce((n, x) => n + x.seconds, 0);
  const cpu = slices.every((x) => x.serverUs !== undefined)
    ? slices.reduce((n, x) => n + x.serverUs! * x.requests, 0) / requests
    : undefined;
  return {
    rps: requests / seconds,
    requests,
    seconds,
    p50ms: Math.max(...slices.map((x) => x.p50ms)),
    p99ms: Math.max(...slices.map((x) => x.p99ms)),
    non2xx: slices.reduce((n, x) => n + x.non2xx, 0),
    serverUs: cpu,
  };
}

/** pgbench; returns transactions per second (without connection time). */
export async function pgbench(args: string[]): Promise<number> {
  const out = await run('pgbench', args);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!tps || /aborted/.test(out)) throw new Error(`pgbench ${args.join(' ')}:\n${out.slice(-3000)}`);
  return Number(tps[1]);
}
