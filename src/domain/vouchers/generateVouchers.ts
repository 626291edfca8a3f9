import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { PaymentAmount } from '../payments/createPayment.ts';
import { requireVoucherAdmin } from './access.ts';

export const GenerateVouchers = v.strictObject({
  /** How many vouchers in this batch. */
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)),
  /** Credit of each voucher without tax, in `currency` (positive). */
  amount: PaymentAmount,
  currency: v.pipe(v.string(), v.minLength(1), v.maxLength(10)),
  /** Tax percent added on top (credit with tax = amount × (1 + tax / 100)). */
  taxPercent: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}(\.\d{1,4})?$/, 'Tax must be a percent'))),
  /** Marks the batch. */
  tag: v.optional(v.pipe(v.string(), v.maxLength(255))),
  /** Last moment the vouchers can be used (ISO 8601); none = never expire. */
  expiresAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  /** Digits of each code (default 12). */
  length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(8), v.maxValue(20))),
});
export type GenerateVouchers = v.InferOutput<typeof GenerateVouchers>;

/** `length` random decimal digits from Web Crypto (rejection sampling: every digit equally likely). */
export function randomDigits(length: number): string {
  let out = '';
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) {
      // 250 = 25 × 10: bytes 250–255 would favour 0–5.
      if (b < 250 && out.length < length) out += String(b % 10);
    }
  }
  return out;
}

/**
 * vouchers.generate (admin): a batch of `count` vouchers with random codes (never sequential; a code
 * that collides with an existing one is drawn again), each worth `amount` in an existing currency,
 * tax on top, optional expiry. Returns the batch's ids and codes.
 */
export async function generateVouchers(ctx: Ctx, input: GenerateVouchers) {
  requireVoucherAdmin(ctx.actor);
  if (input.amount.startsWith('-') || !/[1-9]/.test(input.amount)) {
    throw invalid('amount', 'Amount must be positive');
  }
  const length = input.length ?? 12;
  return withTransaction(ctx, async (tx) => {
    const [currency] = await queryRows<{ name: string }>(
      tx.db,
      sql`select name from currencies where upper(name) = upper(${input.currency}::text) order by id limit 1`,
    );
    if (!currency) throw notFound('currency', 'No currency');
    const tag = input.tag ?? '';
    const made: { id: number; number: string }[] = [];
    for (let attempt = 0; made.length < input.count && attempt < 20; attempt++) {
      const codes = [...new Set(Array.from({ length: input.count - made.length }, () => randomDigits(length)))];
      const rows = await queryRows<{ id: number; number: string }>(
        tx.db,
        sql`insert into vouchers (number, tag, currency, credit_without_tax, tax_percent, credit_with_tax, expires_at)
            select code, ${tag}::text, ${currency.name}::text, round(${input.amount}::numeric, 6),
              ${input.taxPercent ?? '0'}::numeric,
              round(${input.amount}::numeric * (1 + ${input.taxPercent ?? '0'}::numeric / 100), 6),
              ${input.expiresAt ?? null}::timestamptz
            from unnest(${`{${codes.join(',')}}`}::text[]) as code
            on conflict (number) do nothing
            returning id, number`,
      );
      made.push(...rows);
    }
    if (made.length < input.count) throw invalid('length', 'Too few free codes of this length');
    await logAction(tx, {
      action: 'vouchers_generated',
      targetType: 'voucher',
      data: `${made.length} × ${input.amount} ${currency.name}`,
      data2: tag,
    });
    return { tag, vouchers: made.sort((a, b) => a.id - b.id) };
  });
}
