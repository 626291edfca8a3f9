import { and, eq } from 'drizzle-orm';
import { calls } from '../../db/partitioned/calls.ts';
import { dialplans, dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { hasRight } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { conflict, forbidden, notFound } from '../errors.ts';

/** did_delete's two strings the page prints padded with one space on each side. */
export const DID_NOT_FOUND_PADDED = ' DID was not found ';
export const DID_NOT_TERMINATED_PADDED = ' DID status must be terminated ';

/**
 * did_delete: admin, or an accountant with Manage DIDs at write (DIDs are the admin's; resellers only
 * receive them), deletes a terminated DID that no call and no queue dial plan uses. Checked in this
 * order: exists, terminated, calls, queues.
 */
export async function deleteDid(ctx: Ctx, didId: number | undefined): Promise<void> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && !(actor.usertype === 'accountant' && hasRight(actor, 'dids_manage', 2))) {
    throw forbidden('did_delete', 'Access Denied');
  }
  await withTransaction(ctx, async (tx) => {
    const [did] = isId(didId) ? await tx.db.select().from(dids).where(eq(dids.id, didId)).for('update') : [];
    if (!did) throw notFound('did', DID_NOT_FOUND_PADDED);
    if (did.status !== 'terminated') throw conflict('did_status', DID_NOT_TERMINATED_PADDED);
    const [call] = await tx.db.select({ id: calls.id }).from(calls).where(eq(calls.didId, did.id)).limit(1);
    if (call) throw conflict('did_calls', 'Cannot delete DID associated with calls');
    const [queue] =
      did.dialplanId === 0
        ? []
        : await tx.db
            .select({ id: dialplans.id })
            .from(dialplans)
            .where(and(eq(dialplans.id, did.dialplanId), eq(dialplans.dptype, 'queue')));
    if (queue) throw conflict('did_queues', 'Cannot delete DID associated with queues');
    await tx.db.delete(dids).where(eq(dids.id, did.id));
    await logAction(tx, { action: 'did_deleted', targetType: 'did', targetId: did.id, data: did.did });
  });
}
