import { and, asc, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { apiPermissionGroups } from '../../db/schema/settings.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { groupOwner } from './scope.ts';

/** Method name → 0 disabled, 1 read, 2 write; a method absent from the map is disabled. */
export const ApiLevels = v.record(v.pipe(v.string(), v.maxLength(100)), v.picklist([0, 1, 2]));

export interface ApiPermissionGroupView {
  id: number;
  name: string;
  levels: Record<string, number>;
  /** Accounts with "API restricted" on this group. */
  users: number;
  createdAt: string;
}

const columns = {
  id: apiPermissionGroups.id,
  name: apiPermissionGroups.name,
  levels: apiPermissionGroups.levels,
  // Spelled out: drizzle leaves columns unqualified in a single-table select, which a subquery would capture.
  users: sql<number>`(select count(*)::int from users u where u.api_permission_group_id = api_permission_groups.id)`,
  createdAt: apiPermissionGroups.createdAt,
};

const view = (row: { createdAt: Date } & Omit<ApiPermissionGroupView, 'createdAt'>): ApiPermissionGroupView => ({
  ...row,
  users: Number(row.users),
  createdAt: row.createdAt.toISOString(),
});

/** The caller's API permission groups (the admin's, or a reseller's own), by name. */
export async function listApiPermissionGroups(ctx: Ctx): Promise<ApiPermissionGroupView[]> {
  const ownerId = groupOwner(ctx.actor, 1);
  const rows = await ctx.db
    .select(columns)
    .from(apiPermissionGroups)
    .where(eq(apiPermissionGroups.ownerId, ownerId))
    .orderBy(asc(apiPermissionGroups.name), asc(apiPermissionGroups.id));
  return rows.map(view);
}

/** One group of `ownerId`, or NOT_FOUND (another owner's group is never revealed). */
export async function findApiPermissionGroup(ctx: Pick<Ctx, 'db'>, ownerId: number, id: number) {
  const [row] = await ctx.db
    .select(columns)
    .from(apiPermissionGroups)
    .where(and(eq(apiPermissionGroups.id, id), eq(apiPermissionGroups.ownerId, ownerId)));
  if (!row) throw notFound('api_permission_group', 'API permission group was not found');
  return view(row);
}
