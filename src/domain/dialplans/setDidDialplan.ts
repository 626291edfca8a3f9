import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { didInRealm } from '../dids/didAccess.ts';
import { conflict } from '../errors.ts';
import { RowId } from '../ids.ts';
import { dialplanInRealm, requireDialplanManager } from './dialplanAccess.ts';

export const DidDialplan = v.object({ dialplanId: RowId, didId: RowId });
export type DidDialplan = v.InferOutput<typeof DidDialplan>;

/**
 * Puts a DID of the caller's realm into one of its dial plans (a Quickforwards dial plan makes it a
 * Quickforwards DID, offered to users whose rules match). The DID must be free of devices and plans.
 */
export async function addDidToDialplan(ctx: Ctx, input: DidDialplan): Promise<{ didId: number; dialplanId: number }> {
  requireDialplanManager(ctx, 2);
  return withTransaction(ctx, async (tx) => {
    const plan = await dialplanInRealm(tx, input.dialplanId);
    const did = await didInRealm(tx, input.didId);
    if (did.dialplanId === plan.id) return { didId: did.id, dialplanId: plan.id };
    if (did.dialplanId !== 0 || did.deviceId !== 0) throw conflict('did_not_free', 'DID is not free');
    await tx.db.update(dids).set({ dialplanId: plan.id }).where(eq(dids.id, did.id));
    await logAction(tx, { action: 'did_dialplan_set', targetType: 'did', targetId: did.id, data: String(plan.id) });
    return { didId: did.id, dialplanId: plan.id };
  });
}

/** Takes a DID out of the dial plan (its Quickforwards entries stay, unused, until it returns). */
export async function removeDidFromDialplan(ctx: Ctx, input: DidDialplan): Promise<{ didId: number; dialplanId: 0 }> {
  requireDialplanManager(ctx, 2);
  return withTransaction(ctx, async (tx) => {
    const plan = await dialplanInRealm(tx, input.dialplanId);
    const did = await didInRealm(tx, input.didId);
    if (did.dialplanId !== plan.id) throw conflict('did_not_in_dialplan', 'DID is not in this dial plan');
    await tx.db.update(dids).set({ dialplanId: 0 }).where(eq(dids.id, did.id));
    await logAction(tx, { action: 'did_dialplan_unset', targetType: 'did', targetId: did.id, data: String(plan.id) });
    return { didId: did.id, dialplanId: 0 };
  });
}
