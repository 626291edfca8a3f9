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
 * converted to the system currency and its group tax removed, in numeric arithmetic; a completed
 * payment of type `Card` records it and the balance moves through the ledger (source `card_payment`,
 * the payment's id) with its action-log row. A zero amount changes nothing and records no payment.
 * Null when the card or currency is missing.
 */
export async function creditCard(ctx: Ctx, credit: CardCredit): Promise<Credited | null> {
  const amount = sql`${credit.amount}::numeric`;
  const [k] = await queryRows<Credited & { id: number; moves: boolean }>(
    ctx.db,
    sql`with k as (
      select c.id, c.owner_id, c.balance, cur.exchange_rate as rate, ${taxFactor('t')} as factor
      from cards c join cardgroups g on g.id = c.cardgroup_id left join taxes t on t.id = g.tax_id
      join currencies cur on cur.name = ${credit.currency}::text
      where c.id = ${credit.cardId}::int),
    w as (
      select k.*, round(${amount} / k.rate, 6) as with_tax, round(round(${amount} / k.rate, 6) / k.factor, 6) as net
      from k),
    p as (
      insert into payments (card_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, comment,
        balance_before, balance_after)
      select w.id, w.owner_id, 'Card', ${credit.currency}::text, round(${amount} / w.factor, 6),
        ${amount} - round(${amount} / w.factor, 6), ${amount}, w.rate, ${credit.description}::text,
        w.balance, w.balance + w.net
      from w where ${amount} <> 0 returning id)
    select w.id, w.balance::text as before, (w.balance + w.net)::text as after, w.rate::text as "exchangeRate",
      w.with_tax::text as "amountWithTax", w.net::text as "amountWithoutTax", (select id from p)::int as "paymentId",
      ${amount} <> 0 as moves
    from w`,
  );
  if (!k) return null;
  const { id, moves, paymentId, ...credited } = k as typeof k & { paymentId: number | null };
  if (moves) {
    await moveCardBalance(ctx, id, {
      amount: credited.amountWithoutTax,
      source: 'card_payment',
      sourceId: paymentId,
      memo: credit.description,
      action: credit.action,
    });
  }
  return credited;
}

/** The system (default) currency's code. */
export async function systemCurrency(ctx: Pick<Ctx, 'db'>): Promise<string> {
  const [row] = await queryRows<{ name: string }>(
    ctx.db,
    sql`select name from currencies where is_default order by id limit 1`,
  );
  return row?.name ?? 'USD';
}
