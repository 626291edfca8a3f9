import type { SQL } from 'drizzle-orm';
import type { Db } from './types.ts';

/**
 * Runs raw SQL and returns its rows whichever driver answers (PGlite gives `{ rows }`,
 * postgres.js an array). Used where a hand-written statement beats the query builder.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
