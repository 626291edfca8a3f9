import { and, eq, type SQL } from 'drizzle-orm';
import { users } from '../../db/schema/users.ts';
import { visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';

/** How a caller names a target user: by id, by username, or both (then both must name the same user). */
export interface UserRef {
  userId?: number | undefined;
  username?: string | undefined;
}

/**
 * The target user if the caller may see it (ownership tree of domain/auth/rights.ts), else NOT_FOUND —
 * the same answer as for a missing user, so other realms cannot be probed. `lock` takes a row lock
 * for an update in the current transaction.
 */
export async function findVisibleUser(ctx: Pick<Ctx, 'db' | 'actor'>, ref: UserRef, lock = false) {
  const where: SQL[] = [visibleUsers(ctx.actor)];
  if (ref.userId !== undefined) where.push(eq(users.id, ref.userId));
  if (ref.username !== undefined) where.push(eq(users.username, ref.username));
  if (where.length === 1) throw notFound('user');
  const query = ctx.db
    .select()
    .from(users)
    .where(and(...where))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('user');
  return row;
}

export type UserRow = Awaited<ReturnType<typeof findVisibleUser>>;
