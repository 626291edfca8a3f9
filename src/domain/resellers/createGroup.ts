import { and, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { accGroups } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid } from '../errors.ts';
import {
  AccountantRights,
  assertAdmin,
  fullRights,
  type Group,
  GroupDescription,
  GroupName,
  type GroupType,
  label,
  ResellerRights,
} from './groupFields.ts';

/** A new Reseller permission group (its six flags 0/1). */
export const NewResellerGroup = v.object({
  name: GroupName,
  description: GroupDescription,
  rights: v.optional(ResellerRights),
});
/** A new Accountant permission group (rights 0 none, 1 read, 2 write). */
export const NewAccountantGroup = v.object({
  name: GroupName,
  description: GroupDescription,
  rights: v.optional(AccountantRights),
});

export const CreateGroup = v.variant('groupType', [
  v.object({ groupType: v.literal('reseller'), ...NewResellerGroup.entries }),
  v.object({ groupType: v.literal('accountant'), ...NewAccountantGroup.entries }),
]);
export type CreateGroup = v.InferOutput<typeof CreateGroup>;

/** Fails unless `name` is free among groups of `type` (compared without case); `exceptId` = the group itself. */
export async function assertNameFree(ctx: Pick<Ctx, 'db'>, type: GroupType, name: string, exceptId?: number) {
  // Serialise name checks: the unique index is case-sensitive, the rule is not.
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor_acc_groups'))`);
  const [taken] = await ctx.db
    .select({ id: accGroups.id })
    .from(accGroups)
    .where(and(eq(accGroups.groupType, type), sql`lower(${accGroups.name}) = lower(${name})`))
    .limit(2);
  if (taken && taken.id !== exceptId) throw conflict('name', 'Group name must be unique');
}

/**
 * Creates a Reseller or Accountant permission group owned by the admin (reseller_group_create,
 * resellerGroups.create, accountantGroups.create). Name required and unique per type, without case.
 */
export async function createGroup(ctx: Ctx, input: CreateGroup): Promise<Group> {
  assertAdmin(ctx.actor);
  const name = input.name.trim();
  if (name === '') throw invalid('name', `${label(input.groupType)} Group Name must be specified`);
  return withTransaction(ctx, async (tx) => {
    await assertNameFree(tx, input.groupType, name);
    const [row] = await tx.db
      .insert(accGroups)
      .values({
        name,
        groupType: input.groupType,
        ownerId: 0,
        description: input.description ?? '',
        rights: fullRights(input.groupType, input.rights),
      })
      .returning();
    await logAction(tx, {
      action: `${input.groupType}_group_created`,
      targetType: 'acc_group',
      targetId: row!.id,
      data: name,
    });
    return { id: row!.id, name, groupType: input.groupType, description: row!.description, rights: row!.rights };
  });
}
