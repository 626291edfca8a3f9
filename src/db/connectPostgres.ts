import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';
import type { Db, DbHandle } from './types.ts';

/** Arbitrary constant identifying openmor's advisory lock (migrations and first-start bootstrap). */
const LOCK_KEY = 67_736_667;

export interface PostgresOptions {
  max?: number;
  /** Workers cannot keep sockets between requests: use one connection per request there. */
  idleTimeout?: number;
}

/** Opens a postgres.js pool on `url`. Prepared statements are on (the hot paths rely on them). */
export async function connectPostgres(url: string, options: PostgresOptions = {}): Promise<DbHandle> {
  const client = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeout ?? 30,
    onnotice: () => {},
    // numeric stays a string: money is never a JavaScript float.
    types: {},
  });
  const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    poolMax: options.max ?? 10,
    exec: async (script) => {
      await client.unsafe(script).simple();
    },
    withLock: (fn) =>
      client.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
        return fn(async (script) => [...(await tx.unsafe(script).simple())]);
      }) as Promise<never>,
    listen: async (channel, onNotify, onReconnect) => {
      let listening = false;
      const sub = await client.listen(channel, onNotify, () => {
        if (listening) onReconnect?.();
        listening = true;
      });
      return () => sub.unlisten();
    },
    copyOut: (select, onChunk) => copyOut(url, select, onChunk),
    copyStreams: true,
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * A COPY on its own short-lived connection, never on the pool's: postgres.js can leave a connection's
 * socket paused after a COPY whose last rows arrive in one read with its end (porsager/postgres#499,
 * fix pending in #1016), and a pooled connection in that state would hang every later query on it.
 * Its session also gets what a bulk read wants without touching the pool's: no JIT (hundreds of ms of
 * compiling for a statement read once) and work_mem for in-memory hash joins of a million rows.
 * The rows are handed over from a 'data' listener, synchronously, so the stream never buffers.
 */
async function copyOut(url: string, select: string, onChunk: (bytes: Uint8Array) => void): Promise<void> {
  const own = postgres(url, {
    max: 1,
    prepare: false,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'openmor rate index', jit: 'off', work_mem: '256MB' },
  });
  try {
    const stream = await own.unsafe(`copy (${select}) to stdout`).readable();
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Uint8Array) => {
        try {
          onChunk(chunk);
        } catch (error) {
          stream.destroy(error as Error);
        }
      });
      stream.on('end', resolve);
      stream.on('error', reject);
    }).finally(() => stream.removeAllListeners('data'));
  } finally {
    await own.end({ timeout: 0 });
  }
}
