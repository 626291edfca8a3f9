import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';

/** The Drizzle database, whichever driver is under it (PGlite or postgres.js). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** What `connect()` hands to the app: the database plus the few driver-level needs Drizzle does not cover. */
export interface DbHandle {
  db: Db;
  /** 'pglite' (embedded, single connection) or 'postgres' (postgres.js pool). */
  driver: 'pglite' | 'postgres';
  /** Connections the pool may open (postgres.js `max`; PGlite: 1). */
  poolMax?: number;
  /** Runs a script of one or more SQL statements with no parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `fn` inside one transaction holding a database-wide advisory lock (migrations, bootstrap). */
  withLock<T>(fn: (exec: (script: string) => Promise<unknown[]>) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel; resolves to an unsubscribe function. `onReconnect` runs when the
   * listening connection was lost and is back (notifications may have been missed meanwhile).
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /**
   * Runs `copy (<select>) to stdout` and hands its text (Postgres's COPY text format) to `onChunk`
   * in byte chunks cut anywhere, synchronously as they arrive: bulk reads into memory without turning
   * a row into an object. `select` takes no parameters (COPY has none): inline checked integers only.
   */
  copyOut(select: string, onChunk: (bytes: Uint8Array) => void): Promise<void>;
  /** Whether copyOut streams a large COPY without holding up other queries (Postgres: yes; PGlite: its one connection waits). */
  copyStreams: boolean;
  close(): Promise<void>;
}
