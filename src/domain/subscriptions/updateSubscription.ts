import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { isFlat } from '../services/fields.ts';
import { systemZone } from '../settings/systemZone.ts';
import { managedSubscribers, NOT_AUTHORISED, requireSubscriptions } from './access.ts';
import { resolveSubscription, SubscriptionFields, type SubscriptionValues } from './fields.ts';
import { readSubscriptions, type SubscriptionView } from './view.ts';

export const UpdateSubscription = v.strictObject({
  subscriptionId: v.optional(RowId),
  ...SubscriptionFields,
});
export type UpdateSubscription = v.InferOutput<typeof UpdateSubscription>;

export const SUBSCRIPTION_NOT_FOUND = 'Subscription was not found';

/**
 * subscription_update, subscriptions.update: the sent fields change (`untilCanceled` clears the end; a
 * blank memo keeps it); the result is checked like a new subscription. No money moves: periods already
 * charged stay charged, and the charging job bills the new dates from now on. Action-log row
 * `subscription_updated`.
 */
export async function updateSubscription(ctx: Ctx, input: UpdateSubscription): Promise<SubscriptionView> {
  const { actor } = ctx;
  requireSubscriptions(actor, 2, NOT_AUTHORISED);
  return withTransaction(ctx, async (tx) => {
    const id =
      input.subscriptionId !== undefined && Number.isSafeInteger(input.subscriptionId) ? input.subscriptionId : -1;
    const [current] = await queryRows<
      Omit<SubscriptionValues, 'activationStart' | 'activationEnd'> & {
        id: number;
        type: string;
        period: string;
        start: string;
        end: string | null;
      }
    >(
      tx.db,
      sql`select s.id, sv.type, sv.period, to_char(s.activation_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as start,
          to_char(s.activation_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "end", s.memo,
          s.no_expiration as "noExpiration", s.discount_percent::text as "discountPercent",
          s.start_period_day as "startPeriodDay", s.start_period_month as "startPeriodMonth",
          s.charge_balance_on as "chargeBalanceOn"
        from subscriptions s join services sv on sv.id = s.service_id join users u on u.id = s.user_id
        where s.id = ${id}::int and ${managedSubscribers(actor)} for update of s`,
    );
    if (!current) throw notFound('subscription', SUBSCRIPTION_NOT_FOUND);
    const s = resolveSubscription(
      input,
      { flat: isFlat(current.type), now: tx.clock().toISOString() },
      { ...current, activationStart: current.start, activationEnd: current.end },
    );
    const everyDay = current.type === 'one_time_fee' || (current.type === 'periodic_fee' && current.period === 'day');
    await queryRows(
      tx.db,
      sql`update subscriptions set activation_start = ${s.activationStart}::timestamptz,
          activation_end = ${s.activationEnd}::timestamptz, memo = ${s.memo}::text, no_expiration = ${s.noExpiration}::boolean,
          discount_percent = ${s.discountPercent}::numeric, start_period_day = ${s.startPeriodDay}::int,
          start_period_month = ${s.startPeriodMonth}::int, charge_balance_on = ${everyDay ? 3 : s.chargeBalanceOn}::int
        where id = ${current.id}::int`,
    );
    await logAction(tx, { action: 'subscription_updated', targetType: 'subscription', targetId: current.id });
    const [view] = await readSubscriptions(tx, sql`s.id = ${current.id}::int`, await systemZone(tx.db));
    return view!;
  });
}
