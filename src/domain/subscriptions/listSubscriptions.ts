import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { systemZone } from '../settings/systemZone.ts';
import { NOT_AUTHORIZED_SUBSCRIPTIONS, readableSubscribers, requireSubscriptions } from './access.ts';
import { SUBSCRIPTION_NOT_FOUND } from './updateSubscription.ts';
import { readSubscriptions, type SubscriptionView } from './view.ts';

export const ListSubscriptions = v.optional(
  v.strictObject({
    serviceId: v.optional(RowId),
    userId: v.optional(UserId),
    /** Only subscriptions starting at or after this instant (ISO 8601). */
    activationStartFrom: v.optional(v.pipe(v.string(), v.isoTimestamp())),
    /** Only subscriptions ending at or before this instant (ISO 8601). */
    activationEndTill: v.optional(v.pipe(v.string(), v.isoTimestamp())),
    /** Exact memo. */
    memo: v.optional(v.string()),
    /** true: only subscriptions without an end date. */
    untilCanceled: v.optional(v.boolean()),
  }),
  {},
);
export type ListSubscriptions = NonNullable<v.InferOutput<typeof ListSubscriptions>>;

export const GetSubscription = v.strictObject({ subscriptionId: RowId });
export type GetSubscription = v.InferOutput<typeof GetSubscription>;

const id = (n: number) => (Number.isSafeInteger(n) ? n : -1);

/**
 * subscriptions_get, subscriptions.list: the subscriptions of the subscribers the caller reads (the
 * admin all, an accountant with Manage Subscriptions the admin's realm, a reseller its users' and its
 * own, a simple user its own), filters AND-ed, by id. A filter that is not a valid value matches nothing.
 */
export async function listSubscriptions(ctx: Ctx, input: ListSubscriptions = {}): Promise<SubscriptionView[]> {
  requireSubscriptions(ctx.actor, 1, NOT_AUTHORIZED_SUBSCRIPTIONS);
  const where: SQL[] = [readableSubscribers(ctx.actor)];
  if (input.serviceId !== undefined) where.push(sql`s.service_id = ${id(input.serviceId)}::int`);
  if (input.userId !== undefined) where.push(sql`s.user_id = ${id(input.userId)}::int`);
  if (input.activationStartFrom !== undefined) {
    where.push(sql`s.activation_start >= ${input.activationStartFrom}::timestamptz`);
  }
  if (input.activationEndTill !== undefined)
    where.push(sql`s.activation_end <= ${input.activationEndTill}::timestamptz`);
  if (input.memo !== undefined) where.push(sql`s.memo = ${input.memo}::text`);
  if (input.untilCanceled === true) where.push(sql`s.activation_end is null`);
  return readSubscriptions(ctx, sql.join(where, sql` and `), await systemZone(ctx.db));
}

/** subscriptions.get: one subscription the caller reads, else NOT_FOUND. */
export async function getSubscription(ctx: Ctx, input: GetSubscription): Promise<SubscriptionView> {
  requireSubscriptions(ctx.actor, 1, NOT_AUTHORIZED_SUBSCRIPTIONS);
  const where = sql`s.id = ${id(input.subscriptionId)}::int and ${readableSubscribers(ctx.actor)}`;
  const [view] = await readSubscriptions(ctx, where, await systemZone(ctx.db));
  if (!view) throw notFound('subscription', SUBSCRIPTION_NOT_FOUND);
  return view;
}
