import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { apiPermissionGroups } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { findApiPermissionGroup } from './listApiPermissionGroups.ts';
import { groupOwner } from './scope.ts';

export const DeleteApiPermissionGroup = v.strictObject({ id: RowId });
export type DeleteApiPermissionGroup = v.InferOutput<typeof DeleteApiPermissionGroup>;

/** Deletes a group no account uses (assign its users elsewhere first: CONFLICT otherwise). */
export async function deleteApiPermissionGroup(ctx: Ctx, input: DeleteApiPermissionGroup): Promise<{ id: number }> {
  const ownerId = groupOwner(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const group = await findApiPermissionGroup(tx, ownerId, input.id);
    if (group.users > 0) {
      throw conflict('in_use', `API permission group is assigned to ${group.users} account(s)`);
    }
    await tx.db.delete(apiPermissionGroups).where(eq(apiPermissionGroups.id, input.id));
    await logAction(tx, {
      action: 'api_permission_group_deleted',
      targetType: 'api_permission_group',
      targetId: input.id,
      data: group.name,
    });
  });
  ctx.invalidateAuth();
  return { id: input.id };
}
