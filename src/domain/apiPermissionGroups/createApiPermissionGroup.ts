import * as v from 'valibot';
import { apiPermissionGroups } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { ApiLevels, type ApiPermissionGroupView, findApiPermissionGroup } from './listApiPermissionGroups.ts';
import { type ApiMethodClasses, checkLevels, groupOwner } from './scope.ts';

export const GroupName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));

export const CreateApiPermissionGroup = v.strictObject({
  name: GroupName,
  levels: v.optional(ApiLevels, {}),
});
export type CreateApiPermissionGroup = v.InferOutput<typeof CreateApiPermissionGroup>;

export const nameTaken = () => conflict('name', 'API permission group name is already taken');

/** Creates an API permission group in the caller's scope; `methods` = the XML API's gated methods. */
export async function createApiPermissionGroup(
  ctx: Ctx,
  input: CreateApiPermissionGroup,
  methods: ApiMethodClasses,
): Promise<ApiPermissionGroupView> {
  const ownerId = groupOwner(ctx.actor, 2);
  checkLevels(input.levels, methods);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(apiPermissionGroups)
      .values({ name: input.name, ownerId, levels: input.levels })
      .onConflictDoNothing()
      .returning({ id: apiPermissionGroups.id });
    if (!row) throw nameTaken();
    await logAction(tx, {
      action: 'api_permission_group_created',
      targetType: 'api_permission_group',
      targetId: row.id,
      data: input.name,
      data2: JSON.stringify(input.levels),
    });
    return findApiPermissionGroup(tx, ownerId, row.id);
  });
}
