import { sql } from 'drizzle-orm';
import type { DbHandle } from './types.ts';

/** Why the database is not ready: a short, fixed text (never a connection string or a driver message). */
export type NotReady = 'database did not answer in time' | 'database error';

/**
 * Readiness probe: `select 1` with a deadline. Resolves to null when the database answered in time,
 * else to the reason and, for the log only, the driver's error.
 */
export async function probeDatabase(
  handle: DbHandle,
  timeoutMs: number,
): Promise<{ reason: NotReady; error?: unknown } | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<{ reason: NotReady }>((ok) => {
    timer = setTimeout(() => ok({ reason: 'database did not answer in time' }), timeoutMs);
  });
  const query = handle.db.execute(sql`select 1`).then(
    () => null,
    (error: unknown) => ({ reason: 'database error' as const, error }),
  );
  try {
    return await Promise.race([query, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
