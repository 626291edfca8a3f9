import { TRPCClientError } from '@trpc/client';

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
