import { and, count, eq } from 'drizzle-orm';
import { accGroups } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, notFound } from '../errors.ts';
import { assertAdmin, type GroupType } from './groupFields.ts';

/** Deletes a permission group nobody belongs to (members would silently lose their rights). */
export async function deleteGroup(ctx: Ctx, input: { groupType: GroupType; id: number }): Promise<void> {
  assertAdmin(ctx.actor);
  await withTransaction(ctx, async (tx) => {
    const [group] = await tx.db
      .select()
      .from(accGroups)
      .where(and(eq(accGroups.id, input.id), eq(accGroups.groupType, input.groupType)))
      .for('update');
    if (!group) throw notFound('group', 'Group was not found');
    const [members] = await tx.db.select({ n: count() }).from(users).where(eq(users.accGroupId, group.id));
    if ((members?.n ?? 0) > 0) throw conflict('in_use', 'Group has members');
    await tx.db.delete(accGroups).where(eq(accGroups.id, group.id));
    await logAction(tx, {
      action: `${input.groupType}_group_deleted`,
      targetType: 'acc_group',
      targetId: group.id,
      data: group.name,
    });
  });
  ctx.invalidateAuth();
}
