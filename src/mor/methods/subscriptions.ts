import { rawDecimal } from '../../domain/cards/money.ts';
import { createSubscription } from '../../domain/subscriptions/createSubscription.ts';
import { deleteSubscription } from '../../domain/subscriptions/deleteSubscription.ts';
import { listSubscriptions } from '../../domain/subscriptions/listSubscriptions.ts';
import { updateSubscription } from '../../domain/subscriptions/updateSubscription.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageStatusError } from '../xml.ts';
import { guarded, idOf, refuse, unixTime } from './moneySupport.ts';

const common = {
  family: 'subscriptions',
  identity: 'caller',
  callers: ['admin', 'reseller', 'accountant'],
  errorWrapper: pageStatusError,
  unknownCaller: pageStatusError('Access Denied'),
} as const;

const CALLER = {
  name: 'u',
  required: true,
  description: 'caller: admin, reseller, accountant with Manage Subscriptions',
};

/** A Unix-time parameter as ISO 8601; `invalid` when sent but not one (the domain refuses it). */
const time = (params: Params, name: string) => {
  const value = params.value(name);
  if (value === undefined) return undefined;
  return unixTime(value, 0) ?? 'invalid';
};
/** A 0/1 flag: true for `1`, false for anything else sent, undefined when absent. */
const flag = (params: Params, name: string) => {
  const value = params.value(name);
  return value === undefined ? undefined : value === '1';
};
/** A small integer option; NaN (refused as invalid) when sent but not digits. */
const small = (params: Params, name: string) => {
  const value = params.value(name);
  if (value === undefined) return undefined;
  return /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
};

/** The options subscription_create and subscription_update share. */
const fields = (params: Params) => ({
  activationStart: time(params, 'subscription_activation_start'),
  activationEnd: time(params, 'subscription_activation_end'),
  memo: params.value('subscription_memo'),
  untilCanceled: flag(params, 'subscription_until_canceled'),
  noExpiration: flag(params, 'subscription_no_expiration_at_the_end_of_a_month'),
  discountPercent: params.value('subscription_discount_percent'),
  startPeriodDay: small(params, 'subscription_start_period_day'),
  startPeriodMonth: small(params, 'subscription_start_period_month'),
  chargeBalanceOn: small(params, 'subscription_charge_balance_on'),
});

const FIELD_DOCS = [
  { name: 'subscription_activation_start', description: 'Unix time, system time zone (default now; not hashed)' },
  { name: 'subscription_activation_end', description: 'Unix time (not hashed)' },
  { name: 'subscription_memo', description: 'memo, e.g. the DID number sold (not hashed)' },
  { name: 'subscription_until_canceled', description: '1: no end date (not hashed)' },
  {
    name: 'subscription_no_expiration_at_the_end_of_a_month',
    description: '1: flat-rate minutes do not expire at month end; flat rates only (not hashed)',
  },
  { name: 'subscription_discount_percent', description: '0–100 (not hashed)' },
  { name: 'subscription_start_period_day', description: '1–31 (not hashed)' },
  { name: 'subscription_start_period_month', description: '1–12 (not hashed)' },
  {
    name: 'subscription_charge_balance_on',
    description: '1 period start (default), 2 period end, 3 every day (not hashed)',
  },
];

export const subscriptionCreate = defineMethod({
  ...common,
  name: 'subscription_create',
  summary: 'Subscribes a user to a service; a prepaid user pays the current period from the balance at once.',
  hash: ['user_id', 'service_id'],
  // The 2014 page (and a public PHP client) hash service_id before user_id: the same two values.
  altHashes: [{ order: ['service_id', 'user_id'] }],
  access: 'write',
  movesMoney: true,
  params: [
    CALLER,
    { name: 'user_id', required: true, description: "subscriber: a user of the service owner's realm" },
    { name: 'service_id', required: true, description: "service (caller's realm)" },
    ...FIELD_DOCS,
    { name: 'ignore_balance', description: '1: a prepaid user is subscribed even if the balance goes below zero' },
    { name: 'subscription_charge_for_past', description: '1: also charge periods that already passed (not hashed)' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(user_id + service_id + secret key); service_id first also accepted',
    },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    const subscription = await createSubscription(ctx, {
      serviceId: idOf(params, 'service_id'),
      userId: idOf(params, 'user_id'),
      ...fields(params),
      ignoreBalance: flag(params, 'ignore_balance'),
      chargeForPast: flag(params, 'subscription_charge_for_past'),
    });
    return page({ status: { success: 'Subscription was successfully created', id: subscription.id } });
  }),
});

export const subscriptionUpdate = defineMethod({
  ...common,
  name: 'subscription_update',
  summary: 'Changes the sent fields of a subscription; no money moves.',
  hash: ['subscription_id'],
  access: 'write',
  params: [
    CALLER,
    { name: 'subscription_id', required: true, description: 'the subscription' },
    ...FIELD_DOCS,
    { name: 'hash', required: true, description: 'sha1(subscription_id + secret key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    await updateSubscription(ctx, { subscriptionId: idOf(params, 'subscription_id'), ...fields(params) });
    return page({ status: { success: 'Subscription was successfully updated' } });
  }),
});

const DELETED = {
  1: 'Subscription deleted',
  2: 'Subscription disabled',
  3: 'Subscription deleted and money returned',
} as const;

export const subscriptionDelete = defineMethod({
  ...common,
  name: 'subscription_delete',
  summary: 'Deletes (1), disables (2) or deletes a subscription returning the money charged for it (3).',
  hash: ['subscription_id', 'subscription_delete_action'],
  access: 'write',
  movesMoney: true,
  params: [
    CALLER,
    { name: 'subscription_id', required: true, description: 'the subscription' },
    {
      name: 'subscription_delete_action',
      required: true,
      description: '1 delete, 2 disable (end = now), 3 delete and return the money charged',
    },
    { name: 'hash', required: true, description: 'sha1(subscription_id + subscription_delete_action + secret key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    const action = params.value('subscription_delete_action');
    const done = await deleteSubscription(ctx, {
      subscriptionId: idOf(params, 'subscription_id'),
      action: action === undefined ? undefined : /^[123]$/.test(action) ? Number(action) : 0,
    });
    return page({ status: { success: DELETED[done.action] } });
  }),
});

/** subscriptions_get's filter given as an id or `all`: undefined for all/absent, NaN when malformed. */
const idOrAll = (params: Params, name: string) => (params.value(name) === 'all' ? undefined : idOf(params, name));

export const subscriptionsGet = defineMethod({
  ...common,
  name: 'subscriptions_get',
  summary: "Subscriptions of the caller's users (a simple user: its own), filtered, by id.",
  callers: ['admin', 'reseller', 'accountant', 'user'],
  hash: [],
  // The public PHP client signs every filter it sends; a read, and each value narrows the answer.
  altHashes: [
    {
      order: [
        'service_id',
        'subscription_activation_start',
        'subscription_activation_end',
        'subscription_memo',
        'subscription_until_canceled',
        'user_id',
      ],
    },
  ],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller: admin, reseller, accountant, simple user (its own)' },
    { name: 'service_id', description: 'service id or `all`' },
    { name: 'subscription_activation_start', description: 'Unix time: starting at or after it' },
    { name: 'subscription_activation_end', description: 'Unix time: ending at or before it' },
    { name: 'subscription_memo', description: 'exact memo' },
    { name: 'subscription_until_canceled', description: '1: only subscriptions without an end date' },
    { name: 'user_id', description: 'user id or `all`' },
    { name: 'hash', required: true, description: 'sha1(secret key), or sha1(the filters above in order + key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    const start = time(params, 'subscription_activation_start');
    const end = time(params, 'subscription_activation_end');
    // A malformed filter matches nothing.
    const none = start === 'invalid' || end === 'invalid';
    const subscriptions = none
      ? []
      : await listSubscriptions(ctx, {
          serviceId: idOrAll(params, 'service_id'),
          userId: idOrAll(params, 'user_id'),
          activationStartFrom: start,
          activationEndTill: end,
          memo: params.value('subscription_memo'),
          untilCanceled: params.value('subscription_until_canceled') === '1',
        });
    if (subscriptions.length === 0) refuse(pageStatusError, 'No Subscriptions found');
    return page({
      status: {
        subscriptions: {
          subscription: subscriptions.map((s) => ({
            id: s.id,
            user: s.user,
            device: s.device,
            service: s.service,
            from: s.from,
            till: s.till,
            time_left: s.timeLeft ?? '',
            memo: s.memo,
            type: s.type,
            // An accountant without See financial data reads no price.
            ...(s.price === null ? {} : { price: rawDecimal(s.price) }),
            user_id: s.userId,
          })),
        },
      },
    });
  }),
});
