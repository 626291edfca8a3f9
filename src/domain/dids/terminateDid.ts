import { eq } from 'drizzle-orm';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { conflict } from '../errors.ts';
import { didInRealm } from './didAccess.ts';

/**
 * did_terminate: a free or closed DID of the caller's DID realm → terminated (it keeps its history and
 * may later be deleted). A free DID handed to a reseller stays with the reseller: only the reseller
 * may terminate it. Accountants need Manage devices at write.
 */
export async function terminateDid(ctx: Ctx, didId: number): Promise<void> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2, 'Access Denied');
  await withTransaction(ctx, async (tx) => {
    const did = await didInRealm(tx, didId);
    if (did.status !== 'free' && did.status !== 'closed') {
      throw conflict('did_status', 'DID was not terminated. Only Free or Closed DIDs can be terminate');
    }
    if (did.status === 'free' && did.resellerId !== 0 && ctx.actor.usertype !== 'reseller') {
      throw conflict('did_reseller', 'DID was not terminated');
    }
    await tx.db.update(dids).set({ status: 'terminated', closedTill: null }).where(eq(dids.id, did.id));
    await logAction(tx, { action: 'did_terminated', targetType: 'did', targetId: did.id, data: did.status });
  });
}
