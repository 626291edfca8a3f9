import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { type ApiPermissionGroupView, findApiPermissionGroup } from './listApiPermissionGroups.ts';
import { groupOwner } from './scope.ts';

export const GetApiPermissionGroup = v.strictObject({ id: RowId });
export type GetApiPermissionGroup = v.InferOutput<typeof GetApiPermissionGroup>;

/** One API permission group of the caller's scope; another owner's group answers NOT_FOUND. */
export async function getApiPermissionGroup(ctx: Ctx, input: GetApiPermissionGroup): Promise<ApiPermissionGroupView> {
  return findApiPermissionGroup(ctx, groupOwner(ctx.actor, 1), input.id);
}
