import { numberPoolNumbers } from '../../db/schema/pools.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { parseNumbers, poolInReach, requirePoolAccess } from './access.ts';

export const NUMBER_INVALID = 'Number is invalid';

/**
 * number_pool_numbers_create: adds a comma-separated list to a pool in reach. Any element outside
 * `0-9 a-z A-Z # %` (leading `+` allowed), or an empty list → `Number is invalid` and nothing is
 * stored; `#` is stored as `_`; numbers already in the pool are skipped. Returns how many were added.
 */
export async function addNumbers(ctx: Ctx, input: { numberPoolId?: number; numbers?: string }): Promise<number> {
  requirePoolAccess(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const pool = await poolInReach(tx, input.numberPoolId, true);
    const numbers = parseNumbers(input.numbers);
    if (!numbers) throw invalid('number', NUMBER_INVALID);
    let added = 0;
    // Chunks keep each statement's parameter count bounded for large lists.
    for (let i = 0; i < numbers.length; i += 5000) {
      const rows = numbers.slice(i, i + 5000).map((number) => ({ numberPoolId: pool.id, number }));
      const inserted = await tx.db
        .insert(numberPoolNumbers)
        .values(rows)
        .onConflictDoNothing()
        .returning({ id: numberPoolNumbers.id });
      added += inserted.length;
    }
    await logAction(tx, {
      action: 'number_pool_numbers_created',
      targetType: 'number_pool',
      targetId: pool.id,
      data: String(added),
    });
    return added;
  });
}
