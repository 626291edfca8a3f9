import * as v from 'valibot';
import { invalid } from '../errors.ts';

/** The subscription pages' messages. */
export const START_INVALID = 'Subscription activation start date must be valid timestamp';
export const END_INVALID = 'Subscription activation end date must be valid timestamp';
export const START_AFTER_END = 'Activation start date must be earlier than end date';
export const NOT_FLAT = 'Service is not flat rate';
export const PARAMETERS_INVALID = 'Subscription parameters are invalid';

/** What subscription_create and subscription_update may set. Dates are ISO 8601 date-times. */
export const SubscriptionFields = {
  activationStart: v.optional(v.pipe(v.string(), v.maxLength(40))),
  activationEnd: v.optional(v.pipe(v.string(), v.maxLength(40))),
  memo: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
  /** true: no end date (until canceled). */
  untilCanceled: v.optional(v.boolean()),
  /** Flat rates only: the minutes do not expire at the end of a month. */
  noExpiration: v.optional(v.boolean()),
  /** 0–100, decimal text. */
  discountPercent: v.optional(v.pipe(v.string(), v.maxLength(40))),
  startPeriodDay: v.optional(v.number()),
  startPeriodMonth: v.optional(v.number()),
  /** 1 at period start, 2 at period end, 3 every day. */
  chargeBalanceOn: v.optional(v.number()),
};

export interface SubscriptionValues {
  /** ISO instants; end null = until canceled. */
  activationStart: string;
  activationEnd: string | null;
  memo: string;
  noExpiration: boolean;
  discountPercent: string;
  startPeriodDay: number;
  startPeriodMonth: number;
  chargeBalanceOn: number;
}

type Sent = { [K in keyof typeof SubscriptionFields]?: v.InferOutput<(typeof SubscriptionFields)[K]> };

/** An ISO date-time as an instant, or null when it is not one. */
function instant(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || ms < 0 || ms > 253_402_300_799_000) return null;
  return new Date(ms).toISOString();
}

const inRange = (n: number | undefined, min: number, max: number) =>
  n === undefined || (Number.isInteger(n) && n >= min && n <= max);

/**
 * The subscription as it will be stored — `current` with the sent fields over it — checked in the
 * pages' order: start and end timestamps, start not after end, no-expiration only on flat rates, then
 * the newer options' ranges. `flat` tells whether the service is a flat rate; `now` is the default
 * start. The first failure throws INVALID with its message.
 */
export function resolveSubscription(
  sent: Sent,
  options: { flat: boolean; now: string },
  current?: SubscriptionValues,
): SubscriptionValues {
  const start =
    sent.activationStart === undefined ? (current?.activationStart ?? options.now) : instant(sent.activationStart);
  if (start === null) throw invalid('activation_start', START_INVALID);
  let end = current?.activationEnd ?? null;
  // Until canceled: the end is ignored, whatever was sent.
  if (sent.untilCanceled === true) end = null;
  else if (sent.activationEnd !== undefined) {
    end = instant(sent.activationEnd);
    if (end === null) throw invalid('activation_end', END_INVALID);
  }
  if (end !== null && start > end) throw invalid('activation', START_AFTER_END);
  const noExpiration = sent.noExpiration ?? current?.noExpiration ?? false;
  if (sent.noExpiration === true && !options.flat) throw invalid('no_expiration', NOT_FLAT);
  const discount = sent.discountPercent ?? current?.discountPercent ?? '0';
  const discountOk = /^(\d{1,3}(\.\d{0,4})?|\.\d{1,4})$/.test(discount.trim()) && Number(discount) <= 100;
  if (
    !discountOk ||
    !inRange(sent.startPeriodDay, 1, 31) ||
    !inRange(sent.startPeriodMonth, 1, 12) ||
    !inRange(sent.chargeBalanceOn, 1, 3)
  ) {
    throw invalid('parameters', PARAMETERS_INVALID);
  }
  return {
    activationStart: start,
    activationEnd: end,
    memo: sent.memo !== undefined && sent.memo !== '' ? sent.memo : (current?.memo ?? ''),
    noExpiration: options.flat && noExpiration,
    discountPercent: discount.trim(),
    startPeriodDay: sent.startPeriodDay ?? current?.startPeriodDay ?? 1,
    startPeriodMonth: sent.startPeriodMonth ?? current?.startPeriodMonth ?? 1,
    chargeBalanceOn: sent.chargeBalanceOn ?? current?.chargeBalanceOn ?? 1,
  };
}
