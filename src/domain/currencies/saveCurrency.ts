import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { type CurrencyView, getCurrency } from './listCurrencies.ts';
import { ExchangeRate } from './updateExchangeRate.ts';

export const CreateCurrency = v.object({
  /** Code, case sensitive, e.g. EUR. */
  name: v.pipe(v.string(), v.regex(/^[A-Za-z]{3,5}$/, 'must be a 3-5 letter code')),
  fullName: v.optional(v.pipe(v.string(), v.maxLength(100)), ''),
  exchangeRate: ExchangeRate,
  active: v.optional(v.boolean(), true),
  currUpdate: v.optional(v.boolean(), false),
});
export type CreateCurrency = v.InferInput<typeof CreateCurrency>;
export const UpdateCurrency = v.object({
  id: RowId,
  fullName: v.optional(v.pipe(v.string(), v.maxLength(100))),
  exchangeRate: v.optional(ExchangeRate),
  active: v.optional(v.boolean()),
  currUpdate: v.optional(v.boolean()),
});
export type UpdateCurrency = v.InferInput<typeof UpdateCurrency>;

const adminOnly = (ctx: Ctx) => {
  if (ctx.actor.usertype !== 'admin') throw forbidden('currencies');
};

export async function createCurrency(ctx: Ctx, raw: CreateCurrency): Promise<CurrencyView> {
  adminOnly(ctx);
  const input = v.parse(CreateCurrency, raw);
  const id = await withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into currencies (name, full_name, exchange_rate, active, curr_update)
        values (${input.name}, ${input.fullName}, ${input.exchangeRate}::numeric, ${input.active}, ${input.currUpdate})
        on conflict (name) do nothing returning id`,
    );
    if (!row) throw conflict('currency_exists', `Currency ${input.name} exists`);
    await logAction(tx, { action: 'currency_created', targetType: 'currency', targetId: row.id, data2: input.name });
    return row.id;
  });
  return getCurrency(ctx, id);
}

/**
 * Changes a currency. The system currency keeps rate 1 and stays active; a currency used by users or
 * tariffs cannot be deactivated (_rating-model §7).
 */
export async function updateCurrency(ctx: Ctx, input: UpdateCurrency): Promise<CurrencyView> {
  adminOnly(ctx);
  const before = await getCurrency(ctx, input.id);
  if (before.isDefault && (input.exchangeRate !== undefined || input.active === false)) {
    throw invalid('default_currency', 'The system currency keeps exchange rate 1 and stays active');
  }
  await withTransaction(ctx, async (tx) => {
    if (input.active === false) {
      // The row lock orders a deactivation with a user given the currency (checkReferences reads it
      // `for share`): the check sees the user that committed first, or the user finds it inactive.
      await queryRows(tx.db, sql`select id from currencies where id = ${input.id}::int for update`);
      const [use] = await queryRows<{ used: boolean }>(
        tx.db,
        sql`select exists (select 1 from users where currency_id = ${input.id}::int)
          or exists (select 1 from tariffs where currency = ${before.name}) as used`,
      );
      if (use?.used) throw conflict('currency_in_use', 'Currency is used by users or tariffs');
    }
    await tx.db.execute(sql`update currencies set full_name = coalesce(${input.fullName ?? null}::text, full_name),
      exchange_rate = coalesce(${input.exchangeRate ?? null}::numeric, exchange_rate),
      active = coalesce(${input.active ?? null}::bool, active), curr_update = coalesce(${input.currUpdate ?? null}::bool, curr_update),
      updated_at = now() where id = ${input.id}::int`);
    await logAction(tx, {
      action: 'currency_updated',
      targetType: 'currency',
      targetId: input.id,
      data: before.exchangeRate,
      data2: input.exchangeRate ?? before.exchangeRate,
    });
  });
  return getCurrency(ctx, input.id);
}
