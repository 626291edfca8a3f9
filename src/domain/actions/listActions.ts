import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { actions } from '../../db/schema/actions.ts';
import { users } from '../../db/schema/users.ts';
import { hasRight, visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';

const Instant = v.pipe(v.string(), v.isoTimestamp());

export const ListActions = v.object({
  /** Who acted. */
  userId: v.optional(UserId),
  /** The action name, exactly (`user_created`, `tariff_deleted`, …). */
  action: v.optional(v.pipe(v.string(), v.maxLength(100))),
  /** What it acted on: a type (`user`, `device`, `did`, …) and optionally its id. */
  targetType: v.optional(v.pipe(v.string(), v.maxLength(100))),
  targetId: v.optional(RowId),
  /** From (inclusive) and till (exclusive), ISO 8601. */
  from: v.optional(Instant),
  till: v.optional(Instant),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_147_483_647)), 0),
});
export type ListActions = v.InferOutput<typeof ListActions>;

export interface ActionItem {
  id: number;
  userId: number;
  username: string;
  action: string;
  targetType: string;
  targetId: number | null;
  data: string;
  data2: string;
  ip: string;
  createdAt: string;
}

/**
 * The action log, newest first, scoped by realm: the admin every row; an accountant ("Manage users"
 * read) the rows of the admin's accounts; a reseller its own rows and its users'. Simple users: FORBIDDEN.
 */
export async function listActions(ctx: Ctx, input: ListActions): Promise<{ total: number; actions: ActionItem[] }> {
  const { actor } = ctx;
  if (!['admin', 'accountant', 'reseller'].includes(actor.usertype) || !hasRight(actor, 'users_manage', 1)) {
    throw forbidden('actions');
  }
  const where: SQL[] = [visibleUsers(actor)];
  if (input.userId !== undefined) where.push(eq(actions.userId, input.userId));
  if (input.action !== undefined) where.push(eq(actions.action, input.action));
  if (input.targetType !== undefined) where.push(eq(actions.targetType, input.targetType));
  if (input.targetId !== undefined) where.push(eq(actions.targetId, input.targetId));
  if (input.from !== undefined) where.push(gte(actions.createdAt, new Date(input.from)));
  if (input.till !== undefined) where.push(lt(actions.createdAt, new Date(input.till)));
  const filter = and(...where);
  const [rows, [total]] = await Promise.all([
    ctx.db
      .select({
        id: actions.id,
        userId: actions.userId,
        username: users.username,
        action: actions.action,
        targetType: actions.targetType,
        targetId: actions.targetId,
        data: actions.data,
        data2: actions.data2,
        ip: actions.ip,
        createdAt: actions.createdAt,
      })
      .from(actions)
      .innerJoin(users, eq(users.id, actions.userId))
      .where(filter)
      .orderBy(desc(actions.createdAt), desc(actions.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: count() }).from(actions).innerJoin(users, eq(users.id, actions.userId)).where(filter),
  ]);
  return {
    total: total?.n ?? 0,
    actions: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}
