import * as v from 'valibot';
import { quickforwarddids } from '../../db/schema/quickforwards.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { eligibleDids } from './eligibleDids.ts';

export const UpdateQuickforward = v.object({
  did: v.string(),
  forwardTo: v.optional(v.string()),
  /** Kept when absent. */
  description: v.optional(v.string()),
});
export type UpdateQuickforward = v.InferOutput<typeof UpdateQuickforward>;

/** quickforwards_did_update: sets the caller's forward number (and note) for one of its Quickforwards DIDs. */
export async function updateQuickforward(ctx: Ctx, input: UpdateQuickforward) {
  return withTransaction(ctx, async (tx) => {
    const [did] = await eligibleDids(tx, input.did);
    if (!did) throw notFound('did', 'DID was not found');
    const forwardTo = input.forwardTo ?? '';
    if (!/^\d+$/.test(forwardTo)) throw invalid('forward_to', 'Forward number must be numeric');
    const [row] = await tx.db
      .insert(quickforwarddids)
      .values({ didId: did.id, userId: tx.actor.id, number: forwardTo, description: input.description ?? '' })
      .onConflictDoUpdate({
        target: [quickforwarddids.didId, quickforwarddids.userId],
        set: { number: forwardTo, ...(input.description === undefined ? {} : { description: input.description }) },
      })
      .returning();
    await logAction(tx, {
      action: 'quickforward_updated',
      targetType: 'did',
      targetId: did.id,
      data: did.number ?? '',
      data2: forwardTo,
    });
    return { did: did.did, forwardTo: row!.number, description: row!.description };
  });
}
