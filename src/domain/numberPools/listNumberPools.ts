import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { numberPools, numberPoolUsers } from '../../db/schema/pools.ts';
import { users } from '../../db/schema/users.ts';
import { visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { poolInReach, poolOwner, requirePoolAccess } from './access.ts';

export interface ListNumberPools {
  /** Only this pool (outside reach → `Number Pool was not found`). */
  numberPoolId?: number;
  /** Include each pool's numbers, ordered by number, paged per pool. */
  showNumbers?: boolean;
  limit?: number;
  offset?: number;
  /** Also list the users (in the caller's reach) who have the pool as static Blacklist/Whitelist: all, or these. */
  userIds?: 'all' | number[];
}

export interface NumberPoolView {
  id: number;
  name: string;
  comment: string;
  ownerId: number;
  numbersCount: number;
  numbers?: { id: number; number: string }[];
  users?: { id: number; username: string; listType: string }[];
}

/** number_pools_get: the pools of the caller's realm ordered by id, with counts and what was asked for. */
export async function listNumberPools(ctx: Ctx, input: ListNumberPools = {}): Promise<NumberPoolView[]> {
  requirePoolAccess(ctx.actor, 1);
  if (input.numberPoolId !== undefined) await poolInReach(ctx, input.numberPoolId);
  const pools = await ctx.db
    .select()
    .from(numberPools)
    .where(
      and(
        eq(numberPools.ownerId, poolOwner(ctx.actor)),
        input.numberPoolId === undefined ? undefined : eq(numberPools.id, input.numberPoolId),
      ),
    )
    .orderBy(asc(numberPools.id));
  if (pools.length === 0) return [];
  const ids = pools.map((p) => p.id);
  const counts = await queryRows<{ pool: number; n: number }>(
    ctx.db,
    sql`select number_pool_id as pool, count(*)::int as n from number_pool_numbers
        where number_pool_id in ${ids} group by number_pool_id`,
  );
  const views: NumberPoolView[] = pools.map((p) => ({
    id: p.id,
    name: p.name,
    comment: p.comment,
    ownerId: p.ownerId,
    numbersCount: counts.find((c) => c.pool === p.id)?.n ?? 0,
  }));
  const byId = new Map(views.map((view) => [view.id, view]));
  if (input.showNumbers) {
    for (const view of views) view.numbers = [];
    const offset = input.offset ?? 0;
    const limit = input.limit ?? null;
    const numbers = await queryRows<{ id: number; pool: number; number: string }>(
      ctx.db,
      sql`select id, pool, number from (
            select id, number_pool_id as pool, number,
                   row_number() over (partition by number_pool_id order by number collate "C", id) as rn
            from number_pool_numbers where number_pool_id in ${ids}) n
          where rn > ${offset}::int and (${limit}::int is null or rn <= ${offset}::int + ${limit}::int)
          order by pool, rn`,
    );
    for (const n of numbers) byId.get(n.pool)?.numbers?.push({ id: n.id, number: n.number });
  }
  if (input.userIds !== undefined) {
    for (const view of views) view.users = [];
    const filter = input.userIds === 'all' ? undefined : inArray(users.id, input.userIds.length ? input.userIds : [-1]);
    const rows = await ctx.db
      .select({
        pool: numberPoolUsers.numberPoolId,
        id: users.id,
        username: users.username,
        listType: numberPoolUsers.listType,
      })
      .from(numberPoolUsers)
      .innerJoin(users, eq(users.id, numberPoolUsers.userId))
      .where(and(inArray(numberPoolUsers.numberPoolId, ids), visibleUsers(ctx.actor), filter))
      .orderBy(asc(users.id), asc(numberPoolUsers.listType));
    for (const r of rows) byId.get(r.pool)?.users?.push({ id: r.id, username: r.username, listType: r.listType });
  }
  return views;
}
