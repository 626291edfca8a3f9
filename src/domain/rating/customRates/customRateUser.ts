import { and, eq, ne } from 'drizzle-orm';
import { tariffs } from '../../../db/schema/rating.ts';
import { users } from '../../../db/schema/users.ts';
import { visibleUsers } from '../../auth/rights.ts';
import type { Ctx } from '../../ctx.ts';
import { notFound } from '../../errors.ts';
import { requireTariffRight } from '../access.ts';

/** The user whose custom rates are managed: visible to the actor and not the actor itself. */
export async function customRateUser(ctx: Ctx, userId: number, level: 1 | 2) {
  requireTariffRight(ctx.actor, level);
  const [user] = await ctx.db
    .select({ id: users.id, purpose: tariffs.purpose })
    .from(users)
    .leftJoin(tariffs, eq(tariffs.id, users.tariffId))
    .where(and(eq(users.id, userId), ne(users.id, ctx.actor.id), visibleUsers(ctx.actor)));
  if (!user) throw notFound('user');
  return user;
}
