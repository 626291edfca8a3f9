import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { createGroup, NewResellerGroup } from '../../domain/resellers/createGroup.ts';
import { CreateReseller, createReseller } from '../../domain/resellers/createReseller.ts';
import { deleteGroup } from '../../domain/resellers/deleteGroup.ts';
import { getGroup, listGroups } from '../../domain/resellers/listGroups.ts';
import { ResellerGroupPatch, updateGroup } from '../../domain/resellers/updateGroup.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const GroupId = v.object({ id: RowId });

/** Reseller permission groups (the admin's; reseller_group_create's flags). */
export const resellerGroupsRouter = router({
  list: authed.query(({ ctx }) => listGroups(ctx.ctx, 'reseller')),
  get: authed.input(strict(GroupId)).query(({ ctx, input }) => getGroup(ctx.ctx, 'reseller', input.id)),
  create: authed
    .input(strict(NewResellerGroup))
    .mutation(({ ctx, input }) => createGroup(ctx.ctx, { groupType: 'reseller', ...input })),
  update: authed
    .input(strict(ResellerGroupPatch))
    .mutation(({ ctx, input }) => updateGroup(ctx.ctx, { groupType: 'reseller', ...input })),
  /** Refused while resellers belong to the group. */
  delete: authed
    .input(strict(GroupId))
    .mutation(({ ctx, input }) => deleteGroup(ctx.ctx, { groupType: 'reseller', ...input })),
});

export const resellersRouter = router({
  /** A reseller with its permission group (existing `groupId` or a new `group`) and its own Default User. */
  create: authed.input(strict(CreateReseller)).mutation(({ ctx, input }) => createReseller(ctx.ctx, input)),
});
