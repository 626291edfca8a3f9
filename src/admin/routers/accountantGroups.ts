import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { createGroup, NewAccountantGroup } from '../../domain/resellers/createGroup.ts';
import { deleteGroup } from '../../domain/resellers/deleteGroup.ts';
import { getGroup, listGroups } from '../../domain/resellers/listGroups.ts';
import { AccountantGroupPatch, updateGroup } from '../../domain/resellers/updateGroup.ts';
import { CreateAccountant, createAccountant } from '../../domain/users/createAccountant.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const GroupId = v.object({ id: RowId });

/** Accountant permission groups (SETTINGS → Accountant permissions): rights 0 none, 1 read, 2 write. */
export const accountantGroupsRouter = router({
  list: authed.query(({ ctx }) => listGroups(ctx.ctx, 'accountant')),
  get: authed.input(strict(GroupId)).query(({ ctx, input }) => getGroup(ctx.ctx, 'accountant', input.id)),
  create: authed
    .input(strict(NewAccountantGroup))
    .mutation(({ ctx, input }) => createGroup(ctx.ctx, { groupType: 'accountant', ...input })),
  update: authed
    .input(strict(AccountantGroupPatch))
    .mutation(({ ctx, input }) => updateGroup(ctx.ctx, { groupType: 'accountant', ...input })),
  /** Refused while accountants belong to the group. */
  delete: authed
    .input(strict(GroupId))
    .mutation(({ ctx, input }) => deleteGroup(ctx.ctx, { groupType: 'accountant', ...input })),
});

export const accountantsRouter = router({
  /** An accountant with its permission group (existing `groupId` or a new `group`). */
  create: authed.input(strict(CreateAccountant)).mutation(({ ctx, input }) => createAccountant(ctx.ctx, input)),
});
