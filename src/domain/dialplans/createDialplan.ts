import * as v from 'valibot';
import { dialplans } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { realmOf } from '../rating/access.ts';
import { DIALPLAN_TYPES, type Dialplan, requireDialplanManager } from './dialplanAccess.ts';

export const CreateDialplan = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255)),
  dptype: v.optional(v.picklist(DIALPLAN_TYPES), 'quickforwarddids'),
});
export type CreateDialplan = v.InferOutput<typeof CreateDialplan>;

/** A dial plan of the caller's realm; DIDs join it with `dialplans.addDid`. */
export async function createDialplan(ctx: Ctx, input: CreateDialplan): Promise<Dialplan> {
  requireDialplanManager(ctx, 2);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(dialplans)
      .values({ name: input.name, dptype: input.dptype, ownerId: realmOf(ctx.actor) })
      .returning();
    if (!row) throw new Error('dialplan insert returned nothing');
    await logAction(tx, { action: 'dialplan_created', targetType: 'dialplan', targetId: row.id, data: row.dptype });
    return row;
  });
}
