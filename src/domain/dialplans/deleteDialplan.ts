import { eq } from 'drizzle-orm';
import { dialplans, dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { dialplanInRealm, requireDialplanManager } from './dialplanAccess.ts';

/** Deletes an empty dial plan; refused (CONFLICT) while DIDs are in it. */
export async function deleteDialplan(ctx: Ctx, id: number): Promise<{ id: number }> {
  requireDialplanManager(ctx, 2);
  return withTransaction(ctx, async (tx) => {
    const plan = await dialplanInRealm(tx, id);
    const [used] = await tx.db.select({ id: dids.id }).from(dids).where(eq(dids.dialplanId, id)).limit(1);
    if (used) throw conflict('dialplan_in_use', 'Dial plan has DIDs');
    await tx.db.delete(dialplans).where(eq(dialplans.id, id));
    await logAction(tx, { action: 'dialplan_deleted', targetType: 'dialplan', targetId: id, data: plan.name });
    return { id };
  });
}
