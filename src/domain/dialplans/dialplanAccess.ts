import { and, eq } from 'drizzle-orm';
import { dialplans } from '../../db/schema/dids.ts';
import type { Ctx } from '../ctx.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { notFound } from '../errors.ts';
import { realmOf } from '../rating/access.ts';

export type Dialplan = typeof dialplans.$inferSelect;
/** Dial plan kinds that can be made through the API (the others belong to features not built yet). */
export const DIALPLAN_TYPES = ['quickforwarddids'] as const;

/** The admin, accountants with Manage DIDs, resellers (their own dial plans). */
export function requireDialplanManager(ctx: Ctx, level: 1 | 2): void {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'dids_manage', level);
}

/** A dial plan of the caller's realm (another realm's answers like a missing one). */
export async function dialplanInRealm(ctx: Ctx, id: number): Promise<Dialplan> {
  const [row] = await ctx.db
    .select()
    .from(dialplans)
    .where(and(eq(dialplans.id, id), eq(dialplans.ownerId, realmOf(ctx.actor))));
  if (!row) throw notFound('dialplan', 'Dial plan was not found');
  return row;
}
