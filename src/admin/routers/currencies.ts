import { ConvertAmount, convertAmount } from '../../domain/currencies/convertAmount.ts';
import { listCurrencies } from '../../domain/currencies/listCurrencies.ts';
import {
  CreateCurrency,
  createCurrency,
  UpdateCurrency,
  updateCurrency,
} from '../../domain/currencies/saveCurrency.ts';
import { UpdateExchangeRate, updateExchangeRate } from '../../domain/currencies/updateExchangeRate.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Currencies and exchange rates (units per one unit of the system currency, exact decimal strings). */
export const currenciesRouter = router({
  list: authed.query(({ ctx }) => listCurrencies(ctx.ctx)),
  create: authed.input(strict(CreateCurrency)).mutation(({ ctx, input }) => createCurrency(ctx.ctx, input)),
  update: authed.input(strict(UpdateCurrency)).mutation(({ ctx, input }) => updateCurrency(ctx.ctx, input)),
  /** exchange_rate_update's rules: admin only, automatic update off, never the system currency. */
  updateExchangeRate: authed.input(strict(UpdateExchangeRate)).mutation(async ({ ctx, input }) => {
    await updateExchangeRate(ctx.ctx, input);
    return { updated: true as const };
  }),
  /** amount × rate(to) / rate(from) in SQL numeric, 6 decimals. */
  convert: authed.input(strict(ConvertAmount)).query(({ ctx, input }) => convertAmount(ctx.ctx, input)),
});
