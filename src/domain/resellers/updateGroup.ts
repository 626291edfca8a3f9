import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { accGroups } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { assertNameFree } from './createGroup.ts';
import {
  AccountantRights,
  assertAdmin,
  fullRights,
  type Group,
  GroupDescription,
  GroupName,
  label,
  ResellerRights,
} from './groupFields.ts';

const Id = RowId;
/** Changes to a Reseller permission group; rights sent are merged over the current ones. */
export const ResellerGroupPatch = v.object({
  id: Id,
  name: v.optional(GroupName),
  description: GroupDescription,
  rights: v.optional(ResellerRights),
});
/** Changes to an Accountant permission group. */
export const AccountantGroupPatch = v.object({
  id: Id,
  name: v.optional(GroupName),
  description: GroupDescription,
  rights: v.optional(AccountantRights),
});
export const UpdateGroup = v.variant('groupType', [
  v.object({ groupType: v.literal('reseller'), ...ResellerGroupPatch.entries }),
  v.object({ groupType: v.literal('accountant'), ...AccountantGroupPatch.entries }),
]);
export type UpdateGroup = v.InferOutput<typeof UpdateGroup>;

/** Renames a permission group or changes its rights (rights sent are merged over the current ones). */
export async function updateGroup(ctx: Ctx, input: UpdateGroup): Promise<Group> {
  assertAdmin(ctx.actor);
  const group = await withTransaction(ctx, async (tx) => {
    const [current] = await tx.db
      .select()
      .from(accGroups)
      .where(and(eq(accGroups.id, input.id), eq(accGroups.groupType, input.groupType)))
      .for('update');
    if (!current) throw notFound('group', 'Group was not found');
    const name = input.name?.trim() ?? current.name;
    if (name === '') throw invalid('name', `${label(input.groupType)} Group Name must be specified`);
    if (name !== current.name) await assertNameFree(tx, input.groupType, name, current.id);
    const rights = fullRights(input.groupType, { ...current.rights, ...input.rights });
    const [row] = await tx.db
      .update(accGroups)
      .set({ name, description: input.description ?? current.description, rights })
      .where(eq(accGroups.id, current.id))
      .returning();
    await logAction(tx, {
      action: `${input.groupType}_group_updated`,
      targetType: 'acc_group',
      targetId: current.id,
      data: JSON.stringify({ name: current.name, rights: current.rights }),
      data2: JSON.stringify({ name, rights }),
    });
    return { id: row!.id, name, groupType: input.groupType, description: row!.description, rights };
  });
  // Rights are part of the cached auth data of every member.
  ctx.invalidateAuth();
  return group;
}
