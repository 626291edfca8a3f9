import * as v from 'valibot';
import { numberPools } from '../../db/schema/pools.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid } from '../errors.ts';
import { poolOwner, requirePoolAccess } from './access.ts';

export const NOT_CREATED = 'Number Pool was not created';

export const CreateNumberPool = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(255)),
  comment: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});
export type CreateNumberPool = v.InferOutput<typeof CreateNumberPool>;

/**
 * number_pool_create: a pool of the caller's realm (the admin's, or the reseller's own). A blank name
 * or one the owner already uses → `Number Pool was not created`. Logs `number_pool_created`.
 */
export async function createNumberPool(
  ctx: Ctx,
  input: { name?: string; comment?: string },
): Promise<{ numberPoolId: number }> {
  requirePoolAccess(ctx.actor, 2);
  const name = (input.name ?? '').trim();
  if (name === '' || name.length > 255) throw invalid('name', NOT_CREATED);
  const ownerId = poolOwner(ctx.actor);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(numberPools)
      .values({ name, comment: input.comment ?? '', ownerId })
      .onConflictDoNothing()
      .returning({ id: numberPools.id });
    if (!row) throw conflict('name', NOT_CREATED);
    await logAction(tx, { action: 'number_pool_created', targetType: 'number_pool', targetId: row.id, data: name });
    return { numberPoolId: row.id };
  });
}
