import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema/index.ts';
import type { Db, DbHandle } from './types.ts';

/**
 * Opens the embedded database. `dataDir` is a folder, or `memory://` for a throwaway store.
 * `loadDataDir` starts a new store from a `dumpDataDir()` image instead of running initdb (tests use
 * it: initialising a fresh store is most of PGlite's start-up cost).
 * PGlite has one connection: queries are serialised by PGlite itself, never put a pool in front.
 */
export async function connectPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<DbHandle> {
  const client = await PGlite.create({
    ...(dataDir === 'memory://' ? {} : { dataDir }),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    exec: async (script) => {
      await client.exec(script);
    },
    withLock: (fn) =>
      // One connection: a transaction is already exclusive.
      client.transaction(async (tx) =>
        fn(async (script) => {
          const results = await tx.exec(script);
          return results.at(-1)?.rows ?? [];
        }),
      ),
    listen: async (channel, onNotify) => {
      const unsubscribe = await client.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    // No COPY stream in PGlite: the text is written to its in-memory /dev/blob and handed over whole.
    copyOut: async (select, onChunk) => {
      const result = await client.query(`copy (${select}) to '/dev/blob'`);
      if (result.blob) onChunk(new Uint8Array(await result.blob.arrayBuffer()));
    },
    copyStreams: false,
    close: () => client.close(),
  };
}
