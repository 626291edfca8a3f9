import * as v from 'valibot';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { createGroup, NewAccountantGroup } from '../resellers/createGroup.ts';
import { assertAdmin, type Group } from '../resellers/groupFields.ts';
import { getGroup } from '../resellers/listGroups.ts';
import { type CreatedUser, createUser } from './createUser.ts';
import { UserFieldEntries } from './fields.ts';

const { usertype: _t, accGroupId: _g, ...fields } = UserFieldEntries;

export const CreateAccountant = v.object({
  ...fields,
  username: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  /** An existing Accountant permission group, or `group` to create one with the accountant. */
  groupId: v.optional(RowId),
  group: v.optional(NewAccountantGroup),
});
export type CreateAccountant = v.InferInput<typeof CreateAccountant>;

/** Creates an accountant (an admin-side account) in its Accountant permission group. Admin only. */
export async function createAccountant(
  ctx: Ctx,
  raw: CreateAccountant,
): Promise<{ accountant: CreatedUser; group: Group }> {
  assertAdmin(ctx.actor);
  const { groupId, group: newGroup, ...input } = v.parse(CreateAccountant, raw);
  return withTransaction(ctx, async (tx) => {
    const group = newGroup
      ? await createGroup(tx, { groupType: 'accountant', ...newGroup })
      : await getGroup(tx, 'accountant', groupId ?? -1);
    const accountant = await createUser(tx, { ...input, usertype: 'accountant', ownerId: 0, accGroupId: group.id });
    return { accountant, group };
  });
}
