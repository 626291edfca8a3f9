import { TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows.ts';
import type { Db } from '../../src/db/types.ts';

/** Rounds and requests per round: enough for concurrent requests to overlap on Postgres. */
export const ROUNDS = 5;
export const AT_ONCE = 8;

/**
 * Runs `fn(0)`…`fn(n - 1)` at once; each outcome is `ok` or `<tRPC code>: <message>` (an internal
 * error shows as `INTERNAL_SERVER_ERROR: Internal error`).
 */
export async function race(n: number, fn: (i: number) => Promise<unknown>): Promise<string[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)));
  return settled.map((s) => {
    if (s.status === 'fulfilled') return 'ok';
    const e = s.reason;
    if (e instanceof TRPCClientError) return `${(e.data as { code?: string } | undefined)?.code}: ${e.message}`;
    throw e;
  });
}

/** What a round should answer: one success, every other request the method's duplicate error. */
export const oneWins = (n: number, error: string) => ['ok', ...Array<string>(n - 1).fill(error)];

/**
 * Sends `del(i)` and `use(i)` for i in 0…AT_ONCE − 1 all at once, each delete before its use in even
 * rounds and after it in odd ones; answers each pair as [the delete's outcome, the use's outcome].
 */
export async function racePairs(
  round: number,
  del: (i: number) => Promise<unknown>,
  use: (i: number) => Promise<unknown>,
): Promise<[string, string][]> {
  const outcomes = await race(2 * AT_ONCE, (n) => ((n + round) % 2 === 0 ? del(n >> 1) : use(n >> 1)));
  return Array.from({ length: AT_ONCE }, (_, i): [string, string] =>
    round % 2 === 0 ? [outcomes[2 * i]!, outcomes[2 * i + 1]!] : [outcomes[2 * i + 1]!, outcomes[2 * i]!],
  );
}

/**
 * Waits until another session holds a lock on `relation` (of `mode`, when given): on Postgres, the
 * request started before has reached it. Returns at once when `done()` (PGlite has one connection and
 * answers this query only after that request).
 */
export async function untilAnotherSessionLocks(
  db: Db,
  relation: string,
  done: () => boolean,
  mode?: string,
): Promise<void> {
  while (!done()) {
    const [busy] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
        where c.relname = ${relation} and l.pid <> pg_backend_pid() and (${mode ?? null}::text is null or l.mode = ${mode ?? null})`,
    );
    if (busy!.n > 0) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}
