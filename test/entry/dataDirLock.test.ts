// Two real server processes on one PGlite folder: the second must refuse to start with one line naming
// the holder, and the first one's data must survive (issue: a user created through the first server was
// lost once two servers had the same ./data open).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TOKEN = 'lock-test-admin-token-0123456789';
const children = new Set<ChildProcess>();
let dir = '';

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function start(runtime: 'node' | 'deno' = 'node'): Promise<Server> {
  const port = await freePort();
  const [file, args] =
    runtime === 'node'
      ? [process.execPath, ['--import', 'tsx', 'src/entry/node.ts']]
      : [join(ROOT, 'node_modules/.bin/deno'), ['run', '-A', 'src/entry/deno.ts']];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DENO_NO_UPDATE_CHECK: '1',
      DENO_NO_PROMPT: '1',
      DATA_DIR: dir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      MOR_ADMIN_TOKEN: TOKEN,
      MOR_ADMIN_PASSWORD: 'lock-test-password',
      MOR_API_SECRET_KEY: 'lock-test-secret',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the deno launcher runs the deno binary as a child, and both must get
    // the signal (and the clean-up below), as they would from a terminal.
    detached: true,
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((ok) =>
    child.on('exit', (code) => {
      children.delete(child);
      ok(code);
    }),
  );
  return { child, port, output: () => output, exited };
}

async function healthy(server: Server, seconds = 150): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${server.port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy: ${server.output()}`);
}

async function trpc(server: Server, path: string, input: unknown, mutation = false) {
  const url = `http://127.0.0.1:${server.port}/trpc/${path}`;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const response = mutation
    ? await fetch(url, { method: 'POST', headers, body: JSON.stringify(input) })
    : await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
  return (await response.json()) as { result?: { data: unknown }; error?: unknown };
}

async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM') {
  process.kill(-(server.child.pid as number), signal);
  return server.exited;
}

const usernames = async (server: Server) => {
  const listed = await trpc(server, 'users.list', { search: 'lockuser' });
  const data = listed.result?.data as { users: { username: string }[] } | undefined;
  return (data?.users ?? []).map((u) => u.username);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openmor-lock-'));
});
afterAll(async () => {
  for (const child of children) process.kill(-(child.pid as number), 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('one process per embedded database folder', () => {
  it('refuses a second server on a folder in use, keeps the first one serving, and never loses its data', async () => {
    const first = await start();
    await healthy(first);
    const created = await trpc(first, 'users.create', { username: 'lockuser1', password: 'Secret-123' }, true);
    expect(created.error).toBeUndefined();

    for (const runtime of ['node', 'deno'] as const) {
      const second = await start(runtime);
      const outcome = await Promise.race([
        second.exited,
        new Promise((ok) => setTimeout(() => ok('still running after 60 s'), 60_000)),
      ]);
      expect(outcome).toBe(1);
      const lines = second.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`in use by process ${first.child.pid} (node`);
      expect(lines[0]).toContain(`the embedded database in ${dir} is in use`);
      expect(lines[0]).toContain('stop that server first, or give this one its own DATA_DIR');
    }

    // The first server still serves and still writes.
    await trpc(first, 'users.create', { username: 'lockuser2', password: 'Secret-123' }, true);
    expect(await usernames(first)).toEqual(['lockuser1', 'lockuser2']);
    expect(await stop(first)).toBe(0);
    expect(existsSync(join(dir, 'openmor.lock'))).toBe(false);

    // A new server on the folder sees everything the first one wrote.
    const third = await start();
    await healthy(third);
    expect(await usernames(third)).toEqual(['lockuser1', 'lockuser2']);
    expect(JSON.parse(await readFile(join(dir, 'openmor.lock'), 'utf8')).pid).toBe(third.child.pid);

    // A lock left by a killed process is taken over.
    await stop(third, 'SIGKILL');
    expect(existsSync(join(dir, 'openmor.lock'))).toBe(true);
    const fourth = await start('deno');
    await healthy(fourth);
    expect(await usernames(fourth)).toEqual(['lockuser1', 'lockuser2']);
    await stop(fourth); // the deno launcher dies of the signal at once; the server shuts down after it
    await expect.poll(() => existsSync(join(dir, 'openmor.lock')), { timeout: 15_000 }).toBe(false);
  }, 600_000);
});
