import type * as v from 'valibot';
import { lcrs } from '../../db/schema/lcrs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { lcrOwner, requireLcrRole } from './lcrAccess.ts';
import { checkLcrFields, LcrFields } from './lcrFields.ts';

export const CreateLcr = LcrFields;
export type CreateLcr = v.InferOutput<typeof CreateLcr>;

/**
 * lcr_create: a new LCR of the caller's realm (a reseller's own), `name` required and unique within
 * the owner, `order` price (default), priority, percent or quality; the other options at their
 * defaults. Logs `lcr_created`.
 */
export async function createLcr(ctx: Ctx, input: CreateLcr): Promise<{ lcrId: number }> {
  requireLcrRole(ctx.actor, 2);
  const ownerId = lcrOwner(ctx.actor);
  return withTransaction(ctx, async (tx) => {
    const patch = await checkLcrFields(tx, { ...input, name: input.name ?? '' }, ownerId, 'LCR was not created');
    const [row] = await tx.db
      .insert(lcrs)
      .values({ ...patch, name: patch.name!, ownerId })
      .returning({ id: lcrs.id });
    await logAction(tx, { action: 'lcr_created', targetType: 'lcr', targetId: row!.id, data: patch.name });
    return { lcrId: row!.id };
  });
}
