import { spawn } from 'node:child_process';
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Runs the Node entry with exactly `env` until it exits; returns its exit code and output. */
function runEntry(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((ok) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, output, ms: Date.now() - started });
    }),
  );
}

const STACK = /\n\s+at /;

// Needs a Postgres server (TEST_DATABASE_URL, or RUNTIME_PG_URL / the local default as test:runtimes uses).
const pgUrl =
  process.env.TEST_DATABASE_URL ?? process.env.RUNTIME_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const pgUp = await postgres(pgUrl, { max: 1, connect_timeout: 2, onnotice: () => {} })`select 1`.then(
  () => true,
  () => false,
);

describe('start failures (real process)', () => {
  it('an unreachable database: one clear line per attempt with backoff, then gives up; no stack, no password', async () => {
    const port = await closedPort();
    const { code, output } = await runEntry({
      DATABASE_URL: `postgres://openmor:Db-Passw0rd-XYZ@127.0.0.1:${port}/openmor`,
      DB_CONNECT_ATTEMPTS: '3',
      MOR_ADMIN_PASSWORD: 'Admin-Passw0rd-XYZ',
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(output).not.toContain('Db-Passw0rd-XYZ');
    expect(output).not.toContain('Admin-Passw0rd-XYZ');
    expect(output).not.toMatch(STACK);
    const attempts = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'database unreachable');
    expect(attempts).toEqual([
      expect.objectContaining({
        level: 'error',
        reason: 'ECONNREFUSED',
        target: `127.0.0.1:${port}/openmor`,
        attempt: 1,
        of: 3,
        retryInMs: 500,
      }),
      expect.objectContaining({ attempt: 2, retryInMs: 1000 }),
      expect.objectContaining({ attempt: 3 }),
    ]);
    expect(attempts[2].retryInMs).toBeUndefined();
    expect(output).toContain(
      `openmor: cannot start: database unreachable (ECONNREFUSED at 127.0.0.1:${port}/openmor) after 3 attempts`,
    );
  }, 120_000);

  it('a bad configuration lists every problem, exits 2, no stack, never a secret value', async () => {
    const { code, output } = await runEntry({
      PORT: 'eighty',
      MOR_ADMIN_PASSWORD: 'Zq9!x',
      MOR_ADMIN_TOKEN: 'TokTok-123',
      MOR_API_SECRET_KEY: 'Kk1!',
      DATABASE_URL: 'mysql://root:My-Db-Pw-42@db/x',
      LOG_LEVEL: 'chatty',
    });
    expect(code).toBe(2);
    expect(output).not.toMatch(STACK);
    for (const secret of ['Zq9!x', 'TokTok-123', 'Kk1!', 'My-Db-Pw-42']) expect(output).not.toContain(secret);
    expect(output).toContain('openmor: cannot start. Invalid environment:');
    expect(output).toContain('PORT: must be a port number (got "eighty")');
    expect(output).toContain('MOR_ADMIN_PASSWORD: must be at least 6 characters (value hidden, 5 characters)');
    expect(output).toContain('MOR_ADMIN_TOKEN: must be at least 16 characters (value hidden, 10 characters)');
    expect(output).toContain('MOR_API_SECRET_KEY: must be longer than 5 characters (value hidden, 4 characters)');
    expect(output).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (value hidden');
    expect(output).toContain('LOG_LEVEL');
  }, 120_000);

  it.skipIf(!pgUp)(
    'keeps retrying until the database comes up, then serves',
    async () => {
      const target = new URL(pgUrl);
      const dbName = `openmor_retry_${process.pid}_${Date.now()}`;
      const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${dbName}`);
      const port = await closedPort();
      const httpPort = await closedPort();
      const url = new URL(pgUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.pathname = `/${dbName}`;
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: url.toString(),
          DB_CONNECT_ATTEMPTS: '0',
          PORT: String(httpPort),
          MOR_ADMIN_PASSWORD: 'retry-admin-password',
          MOR_API_SECRET_KEY: 'retry-secret',
          MOR_ADMIN_TOKEN: 'retry-admin-token-0123456789',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      let proxy: Server | undefined;
      try {
        // Wait for two refused attempts, then "start the database": a TCP proxy to the real server.
        const until = async (what: () => boolean, ms: number) => {
          const end = Date.now() + ms;
          while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
          return what();
        };
        expect(await until(() => (output.match(/database unreachable/g) ?? []).length >= 2, 30_000)).toBe(true);
        expect(output).not.toContain('"of"'); // 0 = forever: no bound shown
        proxy = createServer((socket) => {
          const upstream = tcpConnect(Number(target.port || 5432), target.hostname);
          socket.pipe(upstream).pipe(socket);
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
        });
        await new Promise<void>((ok) => proxy?.listen(port, '127.0.0.1', ok));
        const healthy = async () =>
          fetch(`http://127.0.0.1:${httpPort}/ready`).then(
            (r) => r.status === 200,
            () => false,
          );
        let ready = false;
        const end = Date.now() + 120_000;
        while (!ready && Date.now() < end) {
          ready = await healthy();
          if (!ready) await new Promise((r) => setTimeout(r, 250));
        }
        expect(ready, output).toBe(true);
        expect(output).toContain('openmor listening');
        expect(output).not.toMatch(STACK);
      } finally {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // gone
        }
        await new Promise((r) => setTimeout(r, 300));
        proxy?.close();
        await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
        await admin.end();
      }
    },
    180_000,
  );
});
