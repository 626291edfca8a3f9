import * as v from 'valibot';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { invalid } from '../../errors.ts';
import { RowId } from '../../ids.ts';
import { requireTariffRight } from '../access.ts';
import { RateRow, RowProblems, validateRateRows } from '../rateRows.ts';
import { writableTariff } from '../tariffs/view.ts';
import { writeRates } from '../writeRates.ts';

export const UpsertRates = v.object({
  tariffId: RowId,
  rates: v.pipe(v.array(RateRow), v.maxLength(1_000_000)),
});
export type UpsertRates = v.InferInput<typeof UpsertRates>;

/**
 * Inserts or replaces wholesale/provider rates (one all-day band per prefix and effective date),
 * all-or-nothing: every row is validated first (RowProblems lists them all), then one transaction.
 */
export async function upsertRates(ctx: Ctx, input: UpsertRates): Promise<{ upserted: number }> {
  requireTariffRight(ctx.actor, 2);
  const tariff = await writableTariff(ctx, input.tariffId);
  if (tariff.purpose === 'user') throw invalid('retail_tariff', 'Retail tariffs are priced by destination group');
  const { rows, problems } = validateRateRows(input.rates);
  if (problems.length > 0) throw new RowProblems(problems);
  await withTransaction(ctx, async (tx) => {
    await writeRates(tx, tariff.id, rows);
    await logAction(tx, {
      action: 'rates_upserted',
      targetType: 'tariff',
      targetId: tariff.id,
      data2: String(rows.length),
    });
  });
  return { upserted: rows.length };
}
