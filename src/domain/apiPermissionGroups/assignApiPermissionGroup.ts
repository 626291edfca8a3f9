import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { findApiPermissionGroup } from './listApiPermissionGroups.ts';
import { groupOwner } from './scope.ts';

export const AssignApiPermissionGroup = v.strictObject({
  userId: UserId,
  /** A group of the caller's scope turns "API restricted" on; null turns it off. */
  groupId: v.nullable(RowId),
});
export type AssignApiPermissionGroup = v.InferOutput<typeof AssignApiPermissionGroup>;

export interface ApiRestriction {
  userId: number;
  apiRestricted: boolean;
  groupId: number | null;
}

/**
 * Puts a simple user or an accountant under an API permission group ("API restricted" on), or frees it
 * (groupId null). The account must be visible to the caller; other types cannot be restricted (docs/pipeline.md §9).
 */
export async function assignApiPermissionGroup(ctx: Ctx, input: AssignApiPermissionGroup): Promise<ApiRestriction> {
  const ownerId = groupOwner(ctx.actor, 2);
  const result = await withTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select({ usertype: users.usertype, groupId: users.apiPermissionGroupId, restricted: users.apiRestricted })
      .from(users)
      .where(and(eq(users.id, input.userId), visibleUsers(ctx.actor)))
      .for('update');
    if (!user) throw notFound('user', 'User was not found');
    if (user.usertype !== 'user' && user.usertype !== 'accountant') {
      throw invalid('usertype', 'Only users and accountants can have API restricted');
    }
    if (input.groupId !== null) await findApiPermissionGroup(tx, ownerId, input.groupId);
    const apiRestricted = input.groupId !== null;
    await tx.db
      .update(users)
      .set({ apiRestricted, apiPermissionGroupId: input.groupId, updatedAt: tx.clock() })
      .where(eq(users.id, input.userId));
    await logAction(tx, {
      action: 'api_permission_group_assigned',
      targetType: 'user',
      targetId: input.userId,
      data: user.restricted ? String(user.groupId ?? '') : '',
      data2: apiRestricted ? String(input.groupId) : '',
    });
    return { userId: input.userId, apiRestricted, groupId: input.groupId };
  });
  ctx.invalidateAuth();
  return result;
}
