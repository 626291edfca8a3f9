// A real server process for tests that must see what a deployment sees (memory, sockets): the Node
// (or Deno) entry on a throwaway PGlite folder, its own process group, killed with it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export const SERVER_SECRETS = {
  MOR_ADMIN_TOKEN: 'server-test-admin-token-0123456789',
  MOR_ADMIN_PASSWORD: 'server-test-password',
  MOR_API_SECRET_KEY: 'server-test-secret',
};

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  /** Peak resident set size of the server process so far, in MB (Linux: VmHWM). */
  peakRssMb(): number;
  /** Current resident set size, in MB (Linux: VmRSS). */
  rssMb(): number;
  /** Starts a new peak measurement (Linux: clear_refs 5 resets VmHWM to the current RSS). */
  resetPeak(): void;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

const statusKb = (pid: number, field: string): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`${field} not in /proc/${pid}/status`);
  return Number(m[1]);
};

/** Peak RSS is read from /proc (Linux); memory tests are skipped elsewhere. */
export const canMeasureRss = existsSync('/proc/self/status');

/** The Deno binary of the `deno` devDependency. */
export const DENO = join(ROOT, 'node_modules/.bin/deno');
/** Deno without update checks or permission prompts. */
export const DENO_ENV = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' };

/**
 * Starts `node src/entry/node.ts` (or, with `runtime: 'deno'`, `deno run -A src/entry/deno.ts`) on a
 * fresh PGlite folder and waits for /health.
 */
export async function startServer(
  options: { env?: Record<string, string>; nodeArgs?: string[]; runtime?: 'node' | 'deno' } = {},
): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'openmor-server-'));
  const port = await freePort();
  const [file, args] =
    options.runtime === 'deno'
      ? [DENO, ['run', '-A', 'src/entry/deno.ts']]
      : [process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/entry/node.ts']];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(options.runtime === 'deno' ? DENO_ENV : {}),
      DATA_DIR: dir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...SERVER_SECRETS,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
  const pid = child.pid as number;
  const server: ServerProcess = {
    child,
    port,
    output: () => output,
    peakRssMb: () => Math.round(statusKb(pid, 'VmHWM') / 1024),
    rssMb: () => Math.round(statusKb(pid, 'VmRSS') / 1024),
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not allowed here (some sandboxes): the peak then also counts the start-up.
      }
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (server.alive()) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (!server.alive()) throw new Error(`server exited: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`server not healthy: ${output}`);
}

/**
 * Sends a body of `pieces` chunks produced by `piece(i)` (written one at a time, respecting
 * back-pressure, so the sender never holds the whole body). Without `contentLength` the body goes
 * chunked (Transfer-Encoding: chunked). Resolves with the status and the (text) answer; a server that
 * answers early stops the sending (the answer is kept); a dropped connection resolves with status 0.
 */
export function streamBody(
  port: number,
  path: string,
  options: {
    headers: Record<string, string>;
    pieces: number;
    piece: (i: number) => Uint8Array | string;
    contentLength?: number;
  },
): Promise<{ status: number; body: string }> {
  return new Promise((ok) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.contentLength !== undefined) headers['content-length'] = options.contentLength;
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers });
    let settled = false;
    const finish = (status: number, body: string) => {
      if (settled) return;
      settled = true;
      ok({ status, body });
    };
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => finish(res.statusCode ?? 0, body));
      res.on('error', () => finish(res.statusCode ?? 0, body));
      res.on('close', () => finish(res.statusCode ?? 0, body));
    });
    req.on('error', (e) => finish(0, String(e)));
    let i = 0;
    const write = () => {
      while (i < options.pieces) {
        if (settled || req.destroyed) return;
        if (answered) break; // the server answered before the end: stop sending
        const chunk = options.piece(i++);
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}
