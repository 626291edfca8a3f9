import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/types.ts';

// Renders raw `sql` templates only (no table objects), so a private dialect instance is enough.
const dialect = new PgDialect({ casing: 'snake_case' });

/**
 * Runs `query` as a named prepared statement. Why: `db.execute` sends an unnamed statement that
 * Postgres plans again on every call, and the rate lookup costs more to plan than to run. Prepared (as
 * pgbench -M prepared does), each connection plans it a few times and then keeps a generic plan.
 * On PGlite the name is ignored and the query runs as usual.
 */
export async function queryPrepared<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  const result = (await prepared.execute()) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
