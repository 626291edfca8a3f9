import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { lcrs } from '../../db/schema/lcrs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { lcrInReach, requireLcrRole } from './lcrAccess.ts';
import { checkLcrFields, LcrFields } from './lcrFields.ts';

export const UpdateLcr = v.object({ id: RowId, ...LcrFields.entries });
export type UpdateLcr = v.InferOutput<typeof UpdateLcr>;

/** lcr_update: changes only the sent fields, checked like lcr_create; logs `lcr_updated` with old/new values. */
export async function updateLcr(ctx: Ctx, input: Omit<UpdateLcr, 'id'> & { id?: number }): Promise<void> {
  requireLcrRole(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const current = await lcrInReach(tx, input.id, true);
    const { id: _id, ...fields } = input;
    const patch = await checkLcrFields(tx, fields, current.ownerId, 'LCR was not updated', current.id);
    const changed = Object.keys(patch) as (keyof typeof patch & keyof typeof current)[];
    if (changed.length === 0) return;
    const [row] = await tx.db.update(lcrs).set(patch).where(eq(lcrs.id, current.id)).returning();
    await logAction(tx, {
      action: 'lcr_updated',
      targetType: 'lcr',
      targetId: current.id,
      data: JSON.stringify(Object.fromEntries(changed.map((k) => [k, current[k]]))),
      data2: JSON.stringify(Object.fromEntries(changed.map((k) => [k, row![k]]))),
    });
  });
}
