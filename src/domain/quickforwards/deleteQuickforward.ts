import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { quickforwarddids } from '../../db/schema/quickforwards.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { eligibleDids } from './eligibleDids.ts';

export const DeleteQuickforward = v.object({ did: v.string() });
export type DeleteQuickforward = v.InferOutput<typeof DeleteQuickforward>;

/** quickforwards_did_delete: removes the caller's entry for one of its Quickforwards DIDs. */
export async function deleteQuickforward(ctx: Ctx, input: DeleteQuickforward): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [did] = await eligibleDids(tx, input.did);
    if (!did) throw notFound('did', 'DID was not found');
    const where = and(eq(quickforwarddids.didId, did.id), eq(quickforwarddids.userId, tx.actor.id));
    const removed = await tx.db.delete(quickforwarddids).where(where).returning({ id: quickforwarddids.id });
    if (removed.length === 0) throw notFound('quickforward', 'No Quickforward is assigned to specified DID');
    await logAction(tx, {
      action: 'quickforward_deleted',
      targetType: 'did',
      targetId: did.id,
      data: did.number ?? '',
    });
  });
}
