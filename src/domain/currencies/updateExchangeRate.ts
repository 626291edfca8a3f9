import { and, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { currencies } from '../../db/schema/currencies.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { forbidden, invalid, notFound } from '../errors.ts';

/** An exchange rate as numeric(24,12) stores it exactly: > 0, at most 12 + 12 digits, `.` separator. */
export const ExchangeRate = v.pipe(
  v.string(),
  v.regex(/^\d{1,12}(\.\d{1,12})?$/, 'Exchange rate is invalid'),
  v.check((s) => /[1-9]/.test(s), 'Exchange rate is invalid'),
);

export const UpdateExchangeRate = v.object({
  /** Currency code, case sensitive. */
  currency: v.string(),
  /** Units of this currency per one unit of the system currency, as a decimal string. */
  rate: v.string(),
});
export type UpdateExchangeRate = v.InferOutput<typeof UpdateExchangeRate>;

/**
 * exchange_rate_update: the admin sets a currency's exchange rate. Only currencies with automatic
 * update off, never the system currency (fixed at 1): others are NOT_FOUND `currency`. The currency is
 * looked up before the rate is validated (INVALID `exchange_rate`). Logged old → new.
 */
export async function updateExchangeRate(ctx: Ctx, input: UpdateExchangeRate): Promise<void> {
  if (ctx.actor.usertype !== 'admin') throw forbidden('currencies');
  const [currency] = await ctx.db
    .select({ id: currencies.id, rate: currencies.exchangeRate })
    .from(currencies)
    .where(and(eq(currencies.name, input.currency), eq(currencies.currUpdate, false), eq(currencies.isDefault, false)));
  if (!currency) throw notFound('currency');
  if (!v.is(ExchangeRate, input.rate)) throw invalid('exchange_rate', 'Exchange rate is invalid');
  await withTransaction(ctx, async (tx) => {
    await tx.db
      .update(currencies)
      .set({ exchangeRate: input.rate, updatedAt: sql`now()` })
      .where(eq(currencies.id, currency.id));
    await logAction(tx, {
      action: 'currency_exchange_rate_changed',
      targetType: 'currency',
      targetId: currency.id,
      data: currency.rate,
      data2: input.rate,
    });
  });
}
