import type { SQL } from 'drizzle-orm';
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core';
import type { Db } from './types.ts';

/**
 * Runs hand-written SQL as a **prepared** statement and returns its rows, whichever driver answers
 * (PGlite gives `{ rows }`, postgres.js an array). Drizzle's `db.execute` never prepares on
 * postgres.js; the hot paths (auth, balance, rates) want the server to parse and plan once per
 * connection, as `pgbench -M prepared` does.
 */
export async function queryRows<T>(db: Db, query: SQL, options: { prepare?: boolean } = {}): Promise<T[]> {
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
  // prepare: false sends an unnamed statement, planned for its actual parameters every time. A named
  // one switches to a generic plan after five runs, which a statement whose best plan depends on its
  // values (a period's bounds over a large table) cannot afford.
  const name = options.prepare === false ? undefined : 'openmor';
  const prepared = session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  const result = (await prepared.execute()) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
