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
    close: () => client.end({ timeout: 5 }),
  };
}
