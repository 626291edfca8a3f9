import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { numberPools } from '../../db/schema/pools.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { poolInReach, requirePoolAccess } from './access.ts';

export const NOT_DELETED = 'Number Pool was not deleted';

/**
 * number_pool_delete: a pool in reach that no device or provider presents a CallerID from is deleted
 * with its numbers and list assignments (one transaction); in use → `Number Pool was not deleted`.
 */
export async function deleteNumberPool(ctx: Ctx, input: { numberPoolId?: number }): Promise<void> {
  requirePoolAccess(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const pool = await poolInReach(tx, input.numberPoolId, true);
    const [use] = await queryRows<{ used: boolean }>(
      tx.db,
      sql`select exists (select 1 from devices where ${pool.id}::int in (emergency_callerid_pool_id,
          callerid_number_pool_id, cid_valid_pool_id, cid_random_pool_id))
        or exists (select 1 from providers where callerid_number_pool_id = ${pool.id}::int) as used`,
    );
    if (use?.used) throw conflict('in_use', NOT_DELETED);
    // Numbers and user assignments go with it (foreign keys on delete cascade).
    await tx.db.delete(numberPools).where(eq(numberPools.id, pool.id));
    await logAction(tx, {
      action: 'number_pool_deleted',
      targetType: 'number_pool',
      targetId: pool.id,
      data: pool.name,
    });
  });
}
