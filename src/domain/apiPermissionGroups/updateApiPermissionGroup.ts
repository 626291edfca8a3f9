import { and, eq, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { apiPermissionGroups } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { isUniqueViolation } from '../users/dbErrors.ts';
import { GroupName, nameTaken } from './createApiPermissionGroup.ts';
import { ApiLevels, type ApiPermissionGroupView, findApiPermissionGroup } from './listApiPermissionGroups.ts';
import { type ApiMethodClasses, checkLevels, groupOwner } from './scope.ts';

export const UpdateApiPermissionGroup = v.strictObject({
  id: RowId,
  name: v.optional(GroupName),
  /** Replaces the whole map (methods left out become disabled). */
  levels: v.optional(ApiLevels),
});
export type UpdateApiPermissionGroup = v.InferOutput<typeof UpdateApiPermissionGroup>;

/** Renames a group and/or replaces its levels; restricted accounts feel it on their next request. */
export async function updateApiPermissionGroup(
  ctx: Ctx,
  input: UpdateApiPermissionGroup,
  methods: ApiMethodClasses,
): Promise<ApiPermissionGroupView> {
  const ownerId = groupOwner(ctx.actor, 2);
  if (input.levels) checkLevels(input.levels, methods);
  const group = await withTransaction(ctx, async (tx) => {
    const before = await findApiPermissionGroup(tx, ownerId, input.id);
    if (input.name === undefined && input.levels === undefined) return before;
    if (input.name !== undefined) {
      const same = await tx.db
        .select({ id: apiPermissionGroups.id })
        .from(apiPermissionGroups)
        .where(
          and(
            eq(apiPermissionGroups.ownerId, ownerId),
            eq(apiPermissionGroups.name, input.name),
            ne(apiPermissionGroups.id, input.id),
          ),
        );
      if (same.length > 0) throw nameTaken();
    }
    await tx.db
      .update(apiPermissionGroups)
      .set({ name: input.name, levels: input.levels })
      .where(eq(apiPermissionGroups.id, input.id))
      .catch((error: unknown) => {
        // The unique index (owner, name): a concurrent writer took the name after the check above.
        if (isUniqueViolation(error)) throw nameTaken();
        throw error;
      });
    await logAction(tx, {
      action: 'api_permission_group_updated',
      targetType: 'api_permission_group',
      targetId: input.id,
      data: `${before.name} ${JSON.stringify(before.levels)}`,
      data2: `${input.name ?? before.name} ${JSON.stringify(input.levels ?? before.levels)}`,
    });
    return findApiPermissionGroup(tx, ownerId, input.id);
  });
  ctx.invalidateAuth();
  return group;
}
