import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { numberPoolUsers } from '../../db/schema/pools.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { visibleUsers } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { poolInReach, requirePoolAccess } from './access.ts';

export const AssignList = v.strictObject({
  id: RowId,
  userId: UserId,
  listType: v.picklist(['blacklist', 'whitelist']),
  /** false removes the assignment. */
  assigned: v.optional(v.boolean(), true),
});
export type AssignList = v.InferOutput<typeof AssignList>;

/** Sets (or removes) a pool as a user's static Blacklist or Whitelist; the pool must be in reach and the user one of the pool owner's users. */
export async function assignList(ctx: Ctx, input: AssignList): Promise<void> {
  requirePoolAccess(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const pool = await poolInReach(tx, input.id, true);
    const [user] = await tx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.userId), eq(users.ownerId, pool.ownerId), visibleUsers(tx.actor)));
    if (!user) throw notFound('user', 'User was not found');
    const key = and(
      eq(numberPoolUsers.numberPoolId, pool.id),
      eq(numberPoolUsers.userId, user.id),
      eq(numberPoolUsers.listType, input.listType),
    );
    if (input.assigned) {
      await tx.db
        .insert(numberPoolUsers)
        .values({ numberPoolId: pool.id, userId: user.id, listType: input.listType })
        .onConflictDoNothing();
    } else {
      await tx.db.delete(numberPoolUsers).where(key);
    }
    await logAction(tx, {
      action: input.assigned ? 'number_pool_list_assigned' : 'number_pool_list_removed',
      targetType: 'number_pool',
      targetId: pool.id,
      data: String(user.id),
      data2: input.listType,
    });
  });
}
