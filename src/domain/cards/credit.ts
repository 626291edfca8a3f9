import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
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
 * Credits a card in ONE statement (call it with the card row locked, inside the operation's
 * transaction): the amount converted to the system currency, its group tax removed, added to the
 * balance in numeric arithmetic; a completed payment of type `Card` and an action-log row record it.
 * A zero amount changes nothing and records no payment. Null when the card or currency is missing.
 */
export async function creditCard(ctx: Ctx, credit: CardCredit): Promise<Credited | null> {
  const amount = sql`${credit.amount}::numeric`;
  const [row] = await queryRows<Credited>(
    ctx.db,
    sql`with k as (
      select c.id, c.owner_id, c.balance, cur.exchange_rate as rate, ${taxFactor('t')} as factor
      from cards c join cardgroups g on g.id = c.cardgroup_id left join taxes t on t.id = g.tax_id
      join currencies cur on cur.name = ${credit.currency}::text
      where c.id = ${credit.cardId}::int),
    w as (
      select k.*, round(${amount} / k.rate, 6) as with_tax, round(round(${amount} / k.rate, 6) / k.factor, 6) as net
      from k),
    u as (update cards c set balance = c.balance + w.net from w where c.id = w.id returning c.id),
    p as (
      insert into payments (card_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, comment,
        balance_before, balance_after)
      select w.id, w.owner_id, 'Card', ${credit.currency}::text, round(${amount} / w.factor, 6),
        ${amount} - round(${amount} / w.factor, 6), ${amount}, w.rate, ${credit.description}::text,
        w.balance, w.balance + w.net
      from w where ${amount} <> 0),
    l as (
      insert into actions (user_id, action, target_type, target_id, data, data2, ip)
      select ${ctx.actor.id}::int, ${credit.action}::text, 'card', w.id, w.balance::text,
        (w.balance + w.net)::text, ${ctx.ip}::text
      from w where ${amount} <> 0)
    select w.balance::text as before, (w.balance + w.net)::text as after, w.rate::text as "exchangeRate",
      w.with_tax::text as "amountWithTax", w.net::text as "amountWithoutTax"
    from w`,
  );
  return row ?? null;
}

/** The system (default) currency's code. */
export async function systemCurrency(ctx: Pick<Ctx, 'db'>): Promise<string> {
  const [row] = await queryRows<{ name: string }>(
    ctx.db,
    sql`select name from currencies where is_default order by id limit 1`,
  );
  return row?.name ?? 'USD';
}
