import { and, asc, eq } from 'drizzle-orm';
import { accGroups } from '../../db/schema/settings.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { assertAdmin, fullRights, type Group, type GroupType } from './groupFields.ts';

const shape = (row: typeof accGroups.$inferSelect, type: GroupType): Group => ({
  id: row.id,
  name: row.name,
  groupType: type,
  description: row.description,
  rights: fullRights(type, row.rights),
});

/** The admin's permission groups of one type, by name. */
export async function listGroups(ctx: Ctx, groupType: GroupType): Promise<Group[]> {
  assertAdmin(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(accGroups)
    .where(eq(accGroups.groupType, groupType))
    .orderBy(asc(accGroups.name));
  return rows.map((row) => shape(row, groupType));
}

export async function getGroup(ctx: Ctx, groupType: GroupType, id: number): Promise<Group> {
  assertAdmin(ctx.actor);
  const [row] = await ctx.db
    .select()
    .from(accGroups)
    .where(and(eq(accGroups.id, id), eq(accGroups.groupType, groupType)));
  if (!row) throw notFound('group', 'Group was not found');
  return shape(row, groupType);
}
