import { and, eq, like, notInArray, or } from 'drizzle-orm';
import * as v from 'valibot';
import { conflines } from '../../db/schema/settings.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { type CreatedUser, createUser } from '../users/createUser.ts';
import { UserFieldEntries } from '../users/fields.ts';
import { createGroup, NewResellerGroup } from './createGroup.ts';
import { assertAdmin, type Group } from './groupFields.ts';
import { getGroup } from './listGroups.ts';

const { usertype: _t, accGroupId: _g, ...fields } = UserFieldEntries;

export const CreateReseller = v.object({
  ...fields,
  username: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  /** An existing Reseller permission group, or `group` to create one with the reseller. */
  groupId: v.optional(RowId),
  group: v.optional(NewResellerGroup),
});
export type CreateReseller = v.InferInput<typeof CreateReseller>;

/** Default User / Default Device lines that name the admin's own objects and so are not copied. */
const ADMIN_REFERENCES = [
  'default_user_tariff_id',
  'default_user_lcr_id',
  'default_user_quickforwards_rule_id',
  'default_device_location_id',
];

/**
 * Creates a reseller in its Reseller permission group (an existing one, or a new one in the same
 * transaction) and gives it its own Default User and Default Device: the admin's values, except the
 * ones pointing at the admin's tariffs, LCRs, rules and locations.
 */
export async function createReseller(ctx: Ctx, raw: CreateReseller): Promise<{ reseller: CreatedUser; group: Group }> {
  assertAdmin(ctx.actor);
  const { groupId, group: newGroup, ...input } = v.parse(CreateReseller, raw);
  return withTransaction(ctx, async (tx) => {
    const group = newGroup
      ? await createGroup(tx, { groupType: 'reseller', ...newGroup })
      : await getGroup(tx, 'reseller', groupId ?? -1);
    const reseller = await createUser(tx, { ...input, usertype: 'reseller', ownerId: 0, accGroupId: group.id });
    const lines = await tx.db
      .select({ name: conflines.name, value: conflines.value })
      .from(conflines)
      .where(
        and(
          eq(conflines.ownerId, 0),
          or(like(conflines.name, 'default\\_user\\_%'), like(conflines.name, 'default\\_device\\_%')),
          notInArray(conflines.name, ADMIN_REFERENCES),
        ),
      );
    if (lines.length > 0) {
      await tx.db
        .insert(conflines)
        .values(lines.map((line) => ({ ...line, ownerId: reseller.id })))
        .onConflictDoNothing();
    }
    return { reseller, group };
  });
}
