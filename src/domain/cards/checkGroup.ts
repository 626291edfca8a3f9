import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { type CardGroupFields, GROUP_DECIMALS, instant, isAmount, isCount } from './groupFields.ts';
import { currencyExists, dialplanUsable, lcrUsable, locationUsable, tariffUsable, taxInRealm } from './refs.ts';

/** What a check sees: the input, and on update the stored group. */
export interface GroupCheck {
  ctx: Ctx;
  input: CardGroupFields & { numberLength?: number; pinLength?: number; dialplanId?: number | null };
  ownerId: number;
  now: Date;
  current?: { validFrom: Date; validTill: Date | null };
}

type Rule = (c: GroupCheck) => Promise<void> | void;

const when = (ok: boolean, detail: string, message: string) => {
  if (!ok) throw invalid(detail, message);
};

const decimalRule =
  ([, key, message]: (typeof GROUP_DECIMALS)[number]): Rule =>
  ({ input }) => {
    const value = input[key];
    if (value !== undefined) when(isAmount(value), key, message);
  };

/** Every rule by name; messages are cc_group_create's strings (cc_group_update maps its own by detail). */
const RULES: Record<string, Rule> = {
  name: ({ input }) => {
    if (input.name !== undefined) when(input.name.trim() !== '', 'name', 'Card Group must have name');
  },
  dates: ({ input, current, now }) => {
    const from = input.validFrom === undefined ? undefined : instant(input.validFrom);
    when(from !== null, 'date_from', 'Invalid date from');
    const till = input.validTill == null ? input.validTill : instant(input.validTill);
    when(till !== null || input.validTill === null, 'date_till', 'Invalid date till');
    const effectiveFrom = from ?? current?.validFrom ?? now;
    const effectiveTill = till === undefined ? (current?.validTill ?? null) : till;
    when(!effectiveTill || effectiveTill >= effectiveFrom, 'date_order', 'Date from is greater than date till');
  },
  tariff: async ({ ctx, input }) => {
    if (input.tariffId != null) when(await tariffUsable(ctx, input.tariffId), 'tariff', 'Tariff was not found');
  },
  lcr: async ({ ctx, input }) => {
    if (input.lcrId != null) when(await lcrUsable(ctx, input.lcrId), 'lcr', 'LCR was not found');
  },
  dialplan: async ({ ctx, input, ownerId }) => {
    if (input.dialplanId != null) {
      when(await dialplanUsable(ctx, input.dialplanId, ownerId), 'dialplan', 'Invalid Dialplan id');
    }
  },
  location: async ({ ctx, input }) => {
    if (input.locationId != null) {
      when(await locationUsable(ctx, input.locationId), 'location', 'Location was not found');
    }
  },
  currency: async ({ ctx, input }) => {
    const code = input.tellBalanceInCurrency;
    if (code !== undefined) when(await currencyExists(ctx, code), 'currency', 'Currency was not found');
  },
  tax: async ({ ctx, input }) => {
    if (input.taxId != null) when(await taxInRealm(ctx, input.taxId), 'tax', 'Tax not found');
  },
  price: ({ input }) => {
    if (input.price !== undefined) when(isAmount(input.price), 'price', 'Invalid Price with TAX');
  },
  decimals: (c) => {
    for (const field of GROUP_DECIMALS) decimalRule(field)(c);
  },
  lengths: ({ input }) => {
    if (input.numberLength !== undefined) {
      when(isCount(input.numberLength, 1, 30), 'number_length', 'Number length is incorrect format');
    }
    if (input.pinLength !== undefined) {
      when(isCount(input.pinLength, 1, 30), 'pin_length', 'Pin length is incorrect format');
    }
  },
  validAfterFirstUse: ({ input }) => {
    if (input.validAfterFirstUse !== undefined) {
      const ok = isCount(input.validAfterFirstUse, 0, 1_000_000);
      when(ok, 'valid_after_first_use', 'Valid after first use is incorrect format');
    }
  },
};

/** cc_group_create's order (its Behaviour 2–8); cc_group_update's (its Behaviour 3). First failure wins. */
const ORDER = {
  create: [
    'name',
    'dates',
    'tariff',
    'lcr',
    'location',
    'currency',
    'price',
    'decimals',
    'lengths',
    'validAfterFirstUse',
    'tax',
  ],
  update: [
    'dates',
    'tariff',
    'lcr',
    'dialplan',
    'location',
    'currency',
    'tax',
    'price',
    'name',
    'decimals',
    'validAfterFirstUse',
  ],
} as const;

/** Validates a card group's fields in the method's documented order; throws the first INVALID. */
export async function checkGroup(mode: keyof typeof ORDER, check: GroupCheck): Promise<void> {
  for (const rule of ORDER[mode]) await RULES[rule]!(check);
}
