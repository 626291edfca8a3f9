import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { moveCardBalance } from '../ledger/moveBalance.ts';
import { taxFactor } from './money.ts';

export interface Credited {
  /** Balances and amounts in the system currency, as stored (6 decimals). */
  before: string;
  after: string;
  /** Units of the payment currency per system unit. */
  exchangeRate: string;
  amountWithTax: string;
  amountWithoutTax: string;
}

/** Money paid for a card: `amount` in `currency`, tax of the card's group included. */
export interface CardCredit {
  cardId: number;
  amount: string;
  currency: string;
  description: string;
  action: string;
}

/**
 * Credits a card (call it with the card row locked, inside the operation's transaction): the amount
 * converted to the system currency, its group tax removed, added to the balance through the ledger
 * (source `card_payment`, the payment's id); a completed payment of type `Card` and an action-log row
 * record it. A zero amount changes nothing and records no payment. Null when the card or currency is
 * missing.
 */
export async function creditCard(ctx: Ctx, credit: CardCredit): Promise<Credited | null> {
  const amount = sql`${credit.amount}::numeric`;
  const [k] = await queryRows<Credited & { ownerId: number; paid: string; tax: string; zero: boolean }>(
    ctx.db,
    sql`with k as (
      select c.id, c.owner_id, c.balance, cur.exchange_rate as rate, ${taxFactor('t')} as factor
      from cards c join cardgroups g on g.id = c.cardgroup_id left join taxes t on t.id = g.tax_id
      join currencies cur on cur.name = ${credit.currency}::text
      where c.id = ${credit.cardId}::int),
    w as (
      select k.*, round(${amount} / k.rate, 6) as with_tax, round(round(${amount} / k.rate, 6) / k.factor, 6) as net
      from k)
    select w.owner_id as "ownerId", w.balance::text as before, (w.balance + w.net)::text as after,
      w.rate::text as "exchangeRate", w.with_tax::text as "amountWithTax", w.net::text as "amountWithoutTax",
      round(${amount} / w.factor, 6)::text as paid, (${amount} - round(${amount} / w.factor, 6))::text as tax,
      ${amount} = 0 as zero
    from w`,
  );
  if (!k) return null;
  const { ownerId, paid, tax, zero, ...credited } = k;
  if (zero) return credited;
  const [payment] = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into payments (card_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, comment)
      values (${credit.cardId}::int, ${ownerId}::int, 'Card', ${credit.currency}::text, ${paid}::numeric,
        ${tax}::numeric, ${amount}, ${credited.exchangeRate}::numeric, ${credit.description}::text)
      returning id`,
  );
  const moved = await moveCardBalance(ctx, credit.cardId, {
    amount: credited.amountWithoutTax,
    source: 'card_payment',
    sourceId: payment!.id,
    memo: credit.description,
    action: credit.action,
  });
  await queryRows(
    ctx.db,
    sql`update payments set balance_before = ${moved!.before}::numeric, balance_after = ${moved!.after}::numeric
      where id = ${payment!.id}::int`,
  );
  return { ...credited, before: moved!.before, after: moved!.after };
}

/** The system (default) currency's code. */
export async function systemCurrency(ctx: Pick<Ctx, 'db'>): Promise<string> {
  const [row] = await queryRows<{ name: string }>(
    ctx.db,
    sql`select name from currencies where is_default order by id limit 1`,
  );
  return row?.name ?? 'USD';
}
