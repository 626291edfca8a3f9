import { asc, eq, sql } from 'drizzle-orm';
import { dialplans } from '../../db/schema/dids.ts';
import type { Ctx } from '../ctx.ts';
import { realmOf } from '../rating/access.ts';
import { requireDialplanManager } from './dialplanAccess.ts';

/** The caller's realm's dial plans, with how many DIDs each holds. */
export async function listDialplans(ctx: Ctx) {
  requireDialplanManager(ctx, 1);
  return ctx.db
    .select({
      id: dialplans.id,
      name: dialplans.name,
      dptype: dialplans.dptype,
      ownerId: dialplans.ownerId,
      dids: sql<number>`(select count(*)::int from dids d where d.dialplan_id = "dialplans"."id")`,
    })
    .from(dialplans)
    .where(eq(dialplans.ownerId, realmOf(ctx.actor)))
    .orderBy(asc(dialplans.id));
}
