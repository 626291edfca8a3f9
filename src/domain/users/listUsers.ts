import { and, asc, eq, ilike, ne, or, type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { addresses, USERTYPES, users } from '../../db/schema/users.ts';
import { hasRight, visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { UserId } from '../ids.ts';

export const ListUsers = v.object({
  usertype: v.optional(v.picklist(USERTYPES)),
  ownerId: v.optional(UserId),
  /** Part of the username, first or last name, or e-mail (case-insensitive). */
  search: v.optional(v.pipe(v.string(), v.maxLength(100))),
  blocked: v.optional(v.boolean()),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 50),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
});
export type ListUsers = v.InferInput<typeof ListUsers>;

export interface UserListItem {
  id: number;
  username: string;
  usertype: string;
  ownerId: number;
  firstName: string;
  lastName: string;
  email: string;
  /** Exact decimal text in the system currency. */
  balance: string;
  credit: string;
  postpaid: boolean;
  blocked: boolean;
  hidden: boolean;
  createdAt: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * SETTINGS → Users: the accounts the caller manages, never itself nor the admin ("admin is not
 * shown in Users list"). Reseller: its own users; accountant ("Manage users" read): the admin's.
 */
export async function listUsers(ctx: Ctx, raw: ListUsers = {}): Promise<{ total: number; users: UserListItem[] }> {
  const input = v.parse(ListUsers, raw);
  const { actor } = ctx;
  if (actor.usertype === 'user' || actor.usertype === 'partner' || !hasRight(actor, 'users_manage', 1)) {
    throw forbidden('users_manage');
  }
  const where: SQL[] = [visibleUsers(actor), ne(users.id, actor.id), ne(users.id, 0)];
  if (input.usertype) where.push(eq(users.usertype, input.usertype));
  if (input.ownerId !== undefined) where.push(eq(users.ownerId, input.ownerId));
  if (input.blocked !== undefined) where.push(eq(users.blocked, input.blocked));
  if (input.search) {
    const pattern = `%${escapeLike(input.search)}%`;
    where.push(
      or(
        ilike(users.username, pattern),
        ilike(addresses.firstName, pattern),
        ilike(addresses.lastName, pattern),
        ilike(addresses.email, pattern),
      )!,
    );
  }
  const rows = await ctx.db
    .select({
      id: users.id,
      username: users.username,
      usertype: users.usertype,
      ownerId: users.ownerId,
      firstName: sql<string>`coalesce(${addresses.firstName}, '')`,
      lastName: sql<string>`coalesce(${addresses.lastName}, '')`,
      email: sql<string>`coalesce(${addresses.email}, '')`,
      balance: users.balance,
      credit: users.credit,
      postpaid: users.postpaid,
      blocked: users.blocked,
      hidden: users.hidden,
      createdAt: users.createdAt,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(users)
    .leftJoin(addresses, eq(addresses.id, users.addressId))
    .where(and(...where))
    .orderBy(asc(users.id))
    .limit(input.limit)
    .offset(input.offset);
  const total = rows[0]?.total ?? (input.offset > 0 ? await countAll(ctx, where) : 0);
  return {
    total,
    users: rows.map(({ total: _, createdAt, ...row }) => ({ ...row, createdAt: createdAt.toISOString() })),
  };
}

/** The total when the page is past the end (no row carries the window count). */
async function countAll(ctx: Ctx, where: SQL[]) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(users)
    .leftJoin(addresses, eq(addresses.id, users.addressId))
    .where(and(...where));
  return row?.n ?? 0;
}
