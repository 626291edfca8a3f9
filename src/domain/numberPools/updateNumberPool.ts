import { and, eq, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { numberPools } from '../../db/schema/pools.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { isUniqueViolation } from '../users/dbErrors.ts';
import { poolInReach, requirePoolAccess } from './access.ts';

export const NOT_UPDATED = 'Number Pool was not updated';

export const UpdateNumberPool = v.strictObject({
  id: RowId,
  name: v.optional(v.pipe(v.string(), v.maxLength(255))),
  comment: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});

/**
 * number_pool_update: changes the sent name and/or comment of a pool in reach (else `Number Pool was
 * not found`); a blank name or one another pool of the owner has → `Number Pool was not updated`.
 */
export async function updateNumberPool(
  ctx: Ctx,
  input: { numberPoolId?: number; name?: string; comment?: string },
): Promise<void> {
  requirePoolAccess(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const pool = await poolInReach(tx, input.numberPoolId, true);
    const set: Partial<typeof numberPools.$inferInsert> = {};
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (name === '' || name.length > 255) throw invalid('name', NOT_UPDATED);
      const [taken] = await tx.db
        .select({ id: numberPools.id })
        .from(numberPools)
        .where(and(eq(numberPools.ownerId, pool.ownerId), eq(numberPools.name, name), ne(numberPools.id, pool.id)));
      if (taken) throw conflict('name', NOT_UPDATED);
      set.name = name;
    }
    if (input.comment !== undefined) set.comment = input.comment;
    if (Object.keys(set).length === 0) return;
    await tx.db
      .update(numberPools)
      .set(set)
      .where(eq(numberPools.id, pool.id))
      .catch((error: unknown) => {
        // The unique index (owner, name): a concurrent writer took the name after the check above.
        if (isUniqueViolation(error)) throw conflict('name', NOT_UPDATED);
        throw error;
      });
    await logAction(tx, {
      action: 'number_pool_updated',
      targetType: 'number_pool',
      targetId: pool.id,
      data: pool.name,
      data2: set.name ?? pool.name,
    });
  });
}
