import * as v from 'valibot';
import { SERVICE_TYPES, type ServiceType } from '../../db/schema/finance.ts';
import { invalid } from '../errors.ts';

/** A decimal as the service pages accept it: optional sign, at most 14 integer digits. */
const DECIMAL = /^[+-]?(\d{1,14}(\.\d*)?|\.\d+)$/;
/** A quantity: a decimal number (its fraction is dropped). */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export const FLAT_TYPES: readonly ServiceType[] = ['flat_rate', 'dynamic_flat_rate'];
export const isFlat = (type: string) => (FLAT_TYPES as readonly string[]).includes(type);

/** What service_create and service_update may set; text as received (the domain validates it). */
export const ServiceFields = {
  name: v.optional(v.pipe(v.string(), v.maxLength(255))),
  type: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** Sell price, system currency, decimal text. */
  price: v.optional(v.pipe(v.string(), v.maxLength(40))),
  selfCost: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** `month` (default) or `day`; periodic fees only. */
  period: v.optional(v.pipe(v.string(), v.maxLength(10))),
  /** Flat rates: minutes per period (an integer ≥ 1; decimal text or a number). */
  quantity: v.optional(v.union([v.pipe(v.string(), v.maxLength(40)), v.number()])),
};

export interface ServiceValues {
  name: string;
  type: ServiceType;
  period: 'month' | 'day';
  price: string;
  selfCost: string;
  quantity: number;
}

/** The service page's messages. */
export const MUST_HAVE_NAME = 'Service must have name';
export const MUST_HAVE_TYPE = 'Service must have service type';
export const TYPE_INVALID = 'Service Type is invalid';
export const PRICE_NOT_NUMERIC = 'Service Price must be numeric';
export const SELF_COST_NOT_NUMERIC = 'Service Self Cost must be numeric';
export const FLAT_NEEDS_QUANTITY = 'Flat Rate Service must have quantity';
export const QUANTITY_NOT_NUMERIC = 'Quantity must be numeric';
export const QUANTITY_NOT_POSITIVE = 'Quantity must be greater than zero';

const blank = (value: string | number | undefined): value is undefined =>
  value === undefined || String(value).trim() === '';

/**
 * Validates a service as it will be stored — `current` (an update's service) with the sent, non-empty
 * fields over it — in the pages' order: name, type, price, self cost, flat-rate quantity. The first
 * failure throws INVALID with its message. A flat type needs the quantity sent unless the service
 * already is flat; other types store quantity 1 and period `month` unless a periodic fee by `day`.
 */
export function resolveService(
  sent: {
    name?: string;
    type?: string;
    price?: string;
    selfCost?: string;
    period?: string;
    quantity?: string | number;
  },
  current?: ServiceValues,
): ServiceValues {
  const name = blank(sent.name) ? current?.name : sent.name.trim();
  if (!name) throw invalid('name', MUST_HAVE_NAME);
  const typeText = blank(sent.type) ? current?.type : sent.type.trim();
  if (!typeText) throw invalid('type', MUST_HAVE_TYPE);
  if (!(SERVICE_TYPES as readonly string[]).includes(typeText)) throw invalid('type', TYPE_INVALID);
  const type = typeText as ServiceType;
  const price = blank(sent.price) ? (current?.price ?? '0') : sent.price.trim();
  if (!DECIMAL.test(price)) throw invalid('price', PRICE_NOT_NUMERIC);
  const selfCost = blank(sent.selfCost) ? (current?.selfCost ?? '0') : sent.selfCost.trim();
  if (!DECIMAL.test(selfCost)) throw invalid('self_cost', SELF_COST_NOT_NUMERIC);
  let quantity = 1;
  if (isFlat(type)) {
    const keep = current && isFlat(current.type) ? String(current.quantity) : undefined;
    const text = blank(sent.quantity) ? keep : String(sent.quantity).trim();
    if (text === undefined) throw invalid('quantity', FLAT_NEEDS_QUANTITY);
    if (!QUANTITY.test(text)) throw invalid('quantity', QUANTITY_NOT_NUMERIC);
    const whole = Math.trunc(Number(text));
    if (!(whole >= 1)) throw invalid('quantity', QUANTITY_NOT_POSITIVE);
    if (whole > 2_147_483_647) throw invalid('quantity', QUANTITY_NOT_NUMERIC);
    quantity = whole;
  }
  const periodText = blank(sent.period) ? current?.period : sent.period.trim();
  const period = type === 'periodic_fee' && periodText === 'day' ? 'day' : 'month';
  return { name, type, period, price, selfCost, quantity };
}
