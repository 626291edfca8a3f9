import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';

export const ConvertAmount = v.object({
  /** Decimal string, may be negative. */
  amount: v.pipe(v.string(), v.regex(/^-?\d{1,14}(\.\d{1,10})?$/)),
  from: v.string(),
  to: v.string(),
});
export type ConvertAmount = v.InferInput<typeof ConvertAmount>;

/**
 * `amount` in `from` expressed in `to` with the stored exchange rates, in SQL numeric arithmetic:
 * amount × rate(to) / rate(from), rounded to 6 decimals (the money scale).
 */
export async function convertAmount(ctx: Pick<Ctx, 'db'>, input: ConvertAmount): Promise<{ amount: string }> {
  const [row] = await queryRows<{ amount: string | null }>(
    ctx.db,
    sql`select round(${input.amount}::numeric * t.exchange_rate / f.exchange_rate, 6)::text as amount
      from currencies f, currencies t where f.name = ${input.from} and t.name = ${input.to}`,
  );
  if (!row?.amount) throw notFound('currency');
  return { amount: row.amount };
}
