import { asc, eq } from 'drizzle-orm';
import { accGroups } from '../../db/schema/settings.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { assertAdmin } from './groupFields.ts';

/** reseller_groups_get: the admin's reseller permission groups by id; none → NOT_FOUND with MOR's string. */
export async function resellerGroupsGet(ctx: Ctx): Promise<{ id: number; name: string; description: string }[]> {
  assertAdmin(ctx.actor);
  const rows = await ctx.db
    .select({ id: accGroups.id, name: accGroups.name, description: accGroups.description })
    .from(accGroups)
    .where(eq(accGroups.groupType, 'reseller'))
    .orderBy(asc(accGroups.id));
  if (rows.length === 0) throw notFound('reseller_groups', 'No Reseller Groups found');
  return rows;
}
