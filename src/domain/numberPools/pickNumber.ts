import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../ctx.ts';
import { poolInReach, requirePoolAccess } from './access.ts';

/** A uniformly random index below `n` (n ≥ 1) from Web Crypto, without modulo bias. */
function randomBelow(n: number): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while ((word[0] ?? 0) >= limit);
  return (word[0] ?? 0) % n;
}

/**
 * A random CallerID from a pool in reach ("each call takes a random number of the pool"): only the
 * pool's concrete numbers count (patterns with `%` or `_` cannot be dialled as a CallerID). Null when
 * the pool has none.
 */
export async function pickPoolNumber(ctx: Ctx, input: { numberPoolId?: number }): Promise<string | null> {
  requirePoolAccess(ctx.actor, 1);
  const pool = await poolInReach(ctx, input.numberPoolId);
  return randomPoolNumber(ctx.db, pool.id);
}

/** A random concrete number of pool `poolId` (no reach check: for the call path), or null. */
export async function randomPoolNumber(db: Db, poolId: number): Promise<string | null> {
  const concrete = sql`number_pool_id = ${poolId}::int and number !~ '[%_]'`;
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from number_pool_numbers where ${concrete}`,
  );
  const n = count?.n ?? 0;
  if (n === 0) return null;
  const [row] = await queryRows<{ number: string }>(
    db,
    sql`select number from number_pool_numbers where ${concrete} order by id offset ${randomBelow(n)}::int limit 1`,
  );
  return row?.number ?? null;
}
