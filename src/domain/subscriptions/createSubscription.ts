import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { managedServices } from '../services/access.ts';
import { isFlat } from '../services/fields.ts';
import { systemZone } from '../settings/systemZone.ts';
import { NOT_AUTHORISED, requireSubscriptions } from './access.ts';
import { chargeOne, dueCharges } from './charges.ts';
import { resolveSubscription, SubscriptionFields } from './fields.ts';
import { localDay, readSubscriptions, type SubscriptionView } from './view.ts';

export const CreateSubscription = v.strictObject({
  serviceId: v.optional(RowId),
  userId: v.optional(UserId),
  ...SubscriptionFields,
  /** Prepaid subscriber: create (and charge) even when the balance goes below zero. */
  ignoreBalance: v.optional(v.boolean()),
  /** Also charge the periods that ended before today. */
  chargeForPast: v.optional(v.boolean()),
});
export type CreateSubscription = v.InferOutput<typeof CreateSubscription>;

export const SERVICE_NOT_SELECTED = 'Service was not selected';
export const SERVICE_NOT_FOUND = 'Service was not found';
export const USER_NOT_SELECTED = 'User was not selected';
export const USER_NOT_FOUND = 'User was not found';
export const INSUFFICIENT_BALANCE = 'User has insufficient balance';

/**
 * subscription_create, subscriptions.create. Checks in the page's order: the service (in the caller's
 * reach, row-locked against a concurrent service_delete), the subscriber (a simple user or reseller
 * of the service owner's realm), then the fields (fields.ts). A one-time fee without an end ends at its
 * start; a flat rate covers whole months (start → the first day of its month, end → the last, system
 * time zone); daily fees and one-time fees are charged "every day" (charge_balance_on 3). A prepaid
 * subscriber pays at once what is due today (charges.ts: the current period; every past one too with
 * `chargeForPast`); a balance that ends below zero refuses the whole subscription unless
 * `ignoreBalance`. Postpaid subscribers pay through their invoices. Action-log rows
 * `subscription_created` and, per charge, `subscription_paid`.
 */
export async function createSubscription(ctx: Ctx, input: CreateSubscription): Promise<SubscriptionView> {
  const { actor } = ctx;
  requireSubscriptions(actor, 2, NOT_AUTHORISED);
  if (input.serviceId === undefined) throw invalid('service_id', SERVICE_NOT_SELECTED);
  return withTransaction(ctx, async (tx) => {
    const serviceId = Number.isSafeInteger(input.serviceId) ? input.serviceId! : -1;
    const [service] = await queryRows<{ id: number; ownerId: number; type: string; period: string; name: string }>(
      tx.db,
      sql`select sv.id, sv.owner_id as "ownerId", sv.type, sv.period, sv.name from services sv
        where sv.id = ${serviceId}::int and ${managedServices(actor)} for share`,
    );
    if (!service) throw notFound('service', SERVICE_NOT_FOUND);
    if (input.userId === undefined) throw invalid('user_id', USER_NOT_SELECTED);
    const userId = Number.isSafeInteger(input.userId) ? input.userId : -1;
    const [user] = await queryRows<{ id: number; postpaid: boolean }>(
      tx.db,
      sql`select id, postpaid from users where id = ${userId}::int and id <> 0 and owner_id = ${service.ownerId}::int
        and usertype in ('user', 'reseller')`,
    );
    if (!user) throw notFound('user', USER_NOT_FOUND);
    const now = tx.clock().toISOString();
    const s = resolveSubscription(input, { flat: isFlat(service.type), now });
    const zone = await systemZone(tx.db);
    const z = sql`${zone}::text`;
    const everyDay = service.type === 'one_time_fee' || (service.type === 'periodic_fee' && service.period === 'day');
    const end = s.activationEnd ?? (service.type === 'one_time_fee' ? s.activationStart : null);
    const wholeMonths = service.type === 'flat_rate';
    const startSql = wholeMonths
      ? sql`(date_trunc('month', ${s.activationStart}::timestamptz at time zone ${z}) at time zone ${z})`
      : sql`${s.activationStart}::timestamptz`;
    const endSql =
      end === null
        ? sql`null::timestamptz`
        : wholeMonths
          ? sql`((date_trunc('month', ${end}::timestamptz at time zone ${z}) + interval '1 month' - interval '1 second') at time zone ${z})`
          : sql`${end}::timestamptz`;
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into subscriptions (service_id, user_id, activation_start, activation_end, memo, no_expiration,
          discount_percent, start_period_day, start_period_month, charge_balance_on, charge_for_past, created_at)
        values (${service.id}::int, ${user.id}::int, ${startSql}, ${endSql}, ${s.memo}::text, ${s.noExpiration}::boolean,
          ${s.discountPercent}::numeric, ${s.startPeriodDay}::int, ${s.startPeriodMonth}::int,
          ${everyDay ? 3 : s.chargeBalanceOn}::int, ${input.chargeForPast === true}::boolean, ${now}::timestamptz)
        returning id`,
    );
    const id = row!.id;
    await logAction(tx, {
      action: 'subscription_created',
      targetType: 'subscription',
      targetId: id,
      data: service.name,
      data2: String(user.id),
    });
    if (!user.postpaid) {
      const today = await localDay(tx.db, zone, now);
      for (const due of await dueCharges(tx.db, { zone, today, since: null, subscriptionId: id })) {
        const charged = await chargeOne(tx, due);
        if (charged && isNegative(charged.after) && input.ignoreBalance !== true) {
          throw conflict('balance', INSUFFICIENT_BALANCE);
        }
      }
    }
    const [view] = await readSubscriptions(tx, sql`s.id = ${id}::int`, zone);
    return view!;
  });
}

/** A decimal text below zero. */
export const isNegative = (text: string) => text.startsWith('-') && /[1-9]/.test(text);
