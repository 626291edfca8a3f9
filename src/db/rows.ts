import type { SQL } from 'drizzle-orm';
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core';
import type { Db } from './types.ts';

/**
 * Runs hand-written SQL as a **prepared** statement and returns its rows, whichever driver answers
 * (PGlite gives `{ rows }`, postgres.js an array). Drizzle's `db.execute` never prepares on
 * postgres.js; the hot paths (auth, balance, rates) want the server to parse and plan once per
 * connection, as `pgbench -M prepared` does.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
  const prepared = session.prepareQuery(dialect.sqlToQuery(query), undefined, 'openmor', false);
  const result = (await prepared.execute()) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
