import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { searchCards } from './searchCards.ts';

export const ExportCards = v.object({
  cardGroupId: RowId,
  /** Only this batch (the usual unit of printing). */
  batchNumber: v.optional(v.pipe(v.string(), v.maxLength(255))),
});
export type ExportCards = v.InferOutput<typeof ExportCards>;

const HEADER = 'Number,PIN,Balance,Sold,First_use,Daily_charge_paid_till';

const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * The visible cards of a group (or one batch) as CSV for printing, with MOR's export columns. Times
 * are in the actor's time zone as MOR prints them; empty when unset.
 */
export async function exportCards(ctx: Ctx, input: ExportCards): Promise<{ filename: string; csv: string }> {
  const { cards } = await searchCards(ctx, {
    cardGroupId: input.cardGroupId,
    batchNumber: input.batchNumber === undefined ? undefined : input.batchNumber.replaceAll('%', ''),
  });
  const lines = cards.map((c) =>
    [c.number, c.pin, c.balance, c.sold ? '1' : '0', c.firstUseLocal, c.dailyChargePaidTillLocal].map(cell).join(','),
  );
  const batch = input.batchNumber ? `_batch_${input.batchNumber.replace(/[^\w-]/g, '_')}` : '';
  return { filename: `cards_${input.cardGroupId}${batch}.csv`, csv: `${[HEADER, ...lines].join('\n')}\n` };
}
