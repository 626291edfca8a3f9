import * as v from 'valibot';
import { RowId } from '../ids.ts';

/** Money and percents travel as exact decimal text; the rules (≥ 0) are checked in order by checkGroup. */
const Decimal = v.optional(v.pipe(v.string(), v.maxLength(40)));
const Ref = v.optional(v.nullable(RowId));
const Flag = v.optional(v.boolean());
/** An instant as ISO 8601 text (the XML adapter converts MOR's Unix seconds). */
const Instant = v.pipe(v.string(), v.maxLength(40));

/**
 * The editable fields of a card group (camelCase; the XML names are snake_case). `price` is the
 * starting balance of new cards, tax excluded (the API's `price_with_vat`, see docs/decisions.md).
 */
export const CardGroupFields = {
  name: v.optional(v.pipe(v.string(), v.maxLength(255))),
  description: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
  image: v.optional(v.pipe(v.string(), v.maxLength(255))),
  price: Decimal,
  setupFee: Decimal,
  ghostMinPerc: Decimal,
  ghostBalancePerc: Decimal,
  dailyCharge: Decimal,
  tariffId: Ref,
  lcrId: Ref,
  locationId: Ref,
  taxId: Ref,
  validFrom: v.optional(Instant),
  /** Null = no end. */
  validTill: v.optional(v.nullable(Instant)),
  /** Days of validity from first use; 0 = no limit. */
  validAfterFirstUse: v.optional(v.number()),
  /** Currency code (case-sensitive) the IVR tells balances in. */
  tellBalanceInCurrency: v.optional(v.pipe(v.string(), v.maxLength(10))),
  tellCents: Flag,
  useExternalFunction: Flag,
  allowLossCalls: Flag,
  soloPinless: Flag,
  disableVoucher: Flag,
  calleridLeave: Flag,
};

const Fields = v.object(CardGroupFields);
export type CardGroupFields = v.InferOutput<typeof Fields>;

/** Boolean fields by their XML parameter names, in cc_group_create's documented check order. */
export const GROUP_FLAGS = [
  ['use_external_function', 'useExternalFunction'],
  ['allow_loss_calls', 'allowLossCalls'],
  ['tell_cents', 'tellCents'],
  ['solo_pinless', 'soloPinless'],
  ['disable_voucher', 'disableVoucher'],
  ['callerid_leave', 'calleridLeave'],
] as const;

/** Decimal fields: XML name, input key, the cc_group_create string for a bad value. */
export const GROUP_DECIMALS = [
  ['setup_fee', 'setupFee', 'Setup fee is incorrect format'],
  ['daily_charge', 'dailyCharge', 'Daily charge is incorrect format'],
  ['ghost_min_perc', 'ghostMinPerc', 'Ghost min perc is incorrect format'],
  ['ghost_balance_perc', 'ghostBalancePerc', 'Ghost balance perc is incorrect format'],
] as const;

/** A non-negative decimal (MOR money and percents); more than 6 fraction digits round on storage. */
export const isAmount = (s: string) => /^\d{1,14}(\.\d+)?$/.test(s) && !/\.\d{31,}$/.test(s);

export const isCount = (n: number | undefined, min: number, max: number) =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/** Parses ISO text into a Date; null when it is not a real instant (or beyond year 9999). */
export function instant(s: string): Date | null {
  const ms = Date.parse(s);
  return Number.isNaN(ms) || ms < 0 || ms > 253_402_300_799_000 ? null : new Date(ms);
}
