import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { managedSubscribers, NOT_AUTHORISED, requireSubscriptions } from './access.ts';
import { refundCharges } from './charges.ts';
import { SUBSCRIPTION_NOT_FOUND } from './updateSubscription.ts';

/** 1 delete (no money back), 2 disable (end = now), 3 delete and return the money charged. */
export const DELETE_ACTIONS = { delete: 1, disable: 2, refund: 3 } as const;

export const DeleteSubscription = v.strictObject({
  subscriptionId: v.optional(RowId),
  action: v.optional(v.number()),
});
export type DeleteSubscription = v.InferOutput<typeof DeleteSubscription>;

export const NOT_SELECTED = 'Subscription was not selected';
export const ACTION_NOT_SELECTED = 'Subscription delete action was not selected';
export const ACTION_NOT_FOUND = 'Subscription delete action was not found';

export interface DeletedSubscription {
  id: number;
  action: 1 | 2 | 3;
  /** Money returned to the balance (action 3), decimal text. */
  returned: string;
}

/**
 * subscription_delete, subscriptions.delete. Checks: id given (`Subscription was not selected`), in
 * reach (`Subscription was not found`), action given and 1–3. The subscription row is locked first,
 * so the charging job and this wait for each other. 1: deleted, its charges stay (the user paid for
 * them); 2: kept, its end set to now (an end already past stays; never before its start), nothing
 * refunded; 3: every charge's remainder returned to the balance (charges.ts) and deleted. Action-log
 * row `subscription_deleted` / `subscription_disabled` / `subscription_refunded`.
 */
export async function deleteSubscription(ctx: Ctx, input: DeleteSubscription): Promise<DeletedSubscription> {
  const { actor } = ctx;
  requireSubscriptions(actor, 2, NOT_AUTHORISED);
  if (input.subscriptionId === undefined) throw invalid('subscription_id', NOT_SELECTED);
  return withTransaction(ctx, async (tx) => {
    const id = Number.isSafeInteger(input.subscriptionId) ? input.subscriptionId! : -1;
    const [sub] = await queryRows<{ id: number }>(
      tx.db,
      sql`select s.id from subscriptions s join services sv on sv.id = s.service_id join users u on u.id = s.user_id
        where s.id = ${id}::int and ${managedSubscribers(actor)} for update of s`,
    );
    if (!sub) throw notFound('subscription', SUBSCRIPTION_NOT_FOUND);
    if (input.action === undefined) throw invalid('action', ACTION_NOT_SELECTED);
    const action = input.action;
    if (action !== 1 && action !== 2 && action !== 3) throw invalid('action', ACTION_NOT_FOUND);
    let returned = '0';
    if (action === 2) {
      const now = tx.clock().toISOString();
      await queryRows(
        tx.db,
        sql`update subscriptions set activation_end =
            greatest(activation_start, least(coalesce(activation_end, ${now}::timestamptz), ${now}::timestamptz))
          where id = ${sub.id}::int`,
      );
    } else {
      if (action === 3) returned = await refundCharges(tx, sub.id);
      await queryRows(tx.db, sql`delete from subscriptions where id = ${sub.id}::int`);
    }
    const name = ['subscription_deleted', 'subscription_disabled', 'subscription_refunded'][action - 1]!;
    await logAction(tx, { action: name, targetType: 'subscription', targetId: sub.id, data: returned });
    return { id: sub.id, action, returned };
  });
}
