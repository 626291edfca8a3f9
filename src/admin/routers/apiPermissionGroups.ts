import {
  AssignApiPermissionGroup,
  assignApiPermissionGroup,
} from '../../domain/apiPermissionGroups/assignApiPermissionGroup.ts';
import {
  CreateApiPermissionGroup,
  createApiPermissionGroup,
} from '../../domain/apiPermissionGroups/createApiPermissionGroup.ts';
import {
  DeleteApiPermissionGroup,
  deleteApiPermissionGroup,
} from '../../domain/apiPermissionGroups/deleteApiPermissionGroup.ts';
import {
  GetApiPermissionGroup,
  getApiPermissionGroup,
} from '../../domain/apiPermissionGroups/getApiPermissionGroup.ts';
import { listApiPermissionGroups } from '../../domain/apiPermissionGroups/listApiPermissionGroups.ts';
import {
  UpdateApiPermissionGroup,
  updateApiPermissionGroup,
} from '../../domain/apiPermissionGroups/updateApiPermissionGroup.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** MOR API Permission Groups (docs/pipeline.md §9): the admin's, a reseller's own; accountants with Users manage. */
export const apiPermissionGroupsRouter = router({
  list: authed.query(({ ctx }) => listApiPermissionGroups(ctx.ctx)),
  get: authed.input(strict(GetApiPermissionGroup)).query(({ ctx, input }) => getApiPermissionGroup(ctx.ctx, input)),
  create: authed
    .input(strict(CreateApiPermissionGroup))
    .mutation(({ ctx, input }) => createApiPermissionGroup(ctx.ctx, input, ctx.xmlApi.gatedMethods)),
  update: authed
    .input(strict(UpdateApiPermissionGroup))
    .mutation(({ ctx, input }) => updateApiPermissionGroup(ctx.ctx, input, ctx.xmlApi.gatedMethods)),
  delete: authed
    .input(strict(DeleteApiPermissionGroup))
    .mutation(({ ctx, input }) => deleteApiPermissionGroup(ctx.ctx, input)),
  /** Restricts a user or accountant to a group (`groupId: null` lifts the restriction). */
  assign: authed
    .input(strict(AssignApiPermissionGroup))
    .mutation(({ ctx, input }) => assignApiPermissionGroup(ctx.ctx, input)),
});
