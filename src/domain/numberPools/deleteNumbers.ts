import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import { numberPoolNumbers } from '../../db/schema/pools.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { poolInReach, requirePoolAccess } from './access.ts';

export const NOTHING_TO_DELETE = 'Nothing to delete';

export interface DeleteNumbers {
  numberPoolId?: number;
  /** Every number of the pool (wins over the other selectors). */
  deleteAll?: boolean;
  /** Number ids of the pool. */
  numberIds?: number[];
  /** Numbers as sent (`#` matched as the stored `_`), exact values, not patterns. */
  numbers?: string[];
}

/**
 * number_pool_numbers_delete: removes the selected numbers of a pool in reach (ids and values
 * combined); ids or values that do not exist are ignored. No selector → `Nothing to delete`.
 * Returns how many were deleted.
 */
export async function deleteNumbers(ctx: Ctx, input: DeleteNumbers): Promise<number> {
  requirePoolAccess(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const pool = await poolInReach(tx, input.numberPoolId, true);
    const ids = input.numberIds ?? [];
    const values = (input.numbers ?? []).map((n) => n.trim().replaceAll('#', '_')).filter((n) => n !== '');
    if (!input.deleteAll && ids.length === 0 && values.length === 0) throw invalid('selector', NOTHING_TO_DELETE);
    const selectors: SQL[] = [];
    if (ids.length > 0) selectors.push(inArray(numberPoolNumbers.id, ids));
    if (values.length > 0) selectors.push(inArray(numberPoolNumbers.number, values));
    const where = input.deleteAll
      ? eq(numberPoolNumbers.numberPoolId, pool.id)
      : and(eq(numberPoolNumbers.numberPoolId, pool.id), or(...selectors));
    const deleted = await tx.db.delete(numberPoolNumbers).where(where).returning({ id: numberPoolNumbers.id });
    await logAction(tx, {
      action: 'number_pool_numbers_deleted',
      targetType: 'number_pool',
      targetId: pool.id,
      data: String(deleted.length),
    });
    return deleted.length;
  });
}
