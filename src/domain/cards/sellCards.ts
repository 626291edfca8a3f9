import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireCards } from './access.ts';
import { systemCurrency } from './credit.ts';
import { findCardGroup } from './findCardGroup.ts';
import { taxFactor } from './money.ts';

export const SellCards = v.object({
  cardGroupId: RowId,
  /** How many free cards to sell (default 1); ignored when `number` is given. */
  quantity: v.optional(v.number()),
  /** Sell exactly this card of the group. */
  number: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** Currency of the sale payments (default, unknown or inactive: the system currency). */
  currency: v.optional(v.pipe(v.string(), v.maxLength(10))),
  /** Where to send the sold cards' numbers and PINs. */
  email: v.optional(v.pipe(v.string(), v.maxLength(255))),
});
export type SellCards = v.InferOutput<typeof SellCards>;

export interface SoldCard {
  id: number;
  number: string;
  pin: string;
  /** Balance, tax excluded, system currency, as stored. */
  balance: string;
}

/**
 * Sells free cards of a group (card_from_group_sell, cards.sell) in ONE statement: the first
 * `quantity` unsold cards by number (or the card `number`) are locked — cards a concurrent sale holds
 * are skipped, never sold twice — marked sold, and each gets a completed `Card` payment of its balance
 * plus the group's tax and an action-log row. Fewer free cards than asked: those are sold.
 */
export async function sellCards(
  ctx: Ctx,
  input: SellCards,
  adminAll = true,
): Promise<{ currency: string; cards: SoldCard[] }> {
  requireCards(ctx.actor, 2);
  const group = await findCardGroup(ctx, input.cardGroupId, { adminAll });
  const quantity =
    input.number !== undefined ? 1 : Number.isSafeInteger(input.quantity) && input.quantity! >= 1 ? input.quantity! : 1;
  let system = '';
  const sold = await withTransaction(ctx, async (tx) => {
    system = await systemCurrency(tx);
    const [cur] = await queryRows<{ name: string; rate: string }>(
      tx.db,
      sql`select name, exchange_rate::text as rate, 0 as pref from currencies
        where name = ${input.currency ?? system}::text and active
        union all select name, exchange_rate::text, 1 from currencies where name = ${system}::text
        order by pref limit 1`,
    );
    return queryRows<SoldCard>(
      tx.db,
      sql`with picked as (
        select id from cards
        where cardgroup_id = ${group.id}::int and not sold and not hidden
          ${input.number === undefined ? sql`` : sql`and number = ${input.number}::text`}
        order by number limit ${Math.min(quantity, 100_000)}::int
        for update skip locked),
      s as (update cards c set sold = true from picked where c.id = picked.id
        returning c.id, c.number, c.pin, c.balance, c.owner_id),
      f as (select ${taxFactor('t')} as factor from cardgroups g left join taxes t on t.id = g.tax_id
        where g.id = ${group.id}::int),
      p as (
        insert into payments (card_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, comment)
        select s.id, s.owner_id, 'Card', ${cur!.name}::text, round(s.balance * ${cur!.rate}::numeric, 6),
          round(s.balance * ${cur!.rate}::numeric * f.factor, 6) - round(s.balance * ${cur!.rate}::numeric, 6),
          round(s.balance * ${cur!.rate}::numeric * f.factor, 6), ${cur!.rate}::numeric, 'card_from_group_sell'
        from s, f),
      l as (
        insert into actions (user_id, action, target_type, target_id, data, data2, ip)
        select ${ctx.actor.id}::int, 'card_sold', 'card', s.id, s.number, s.balance::text, ${ctx.ip}::text from s)
      select id, number, pin, balance::text as balance from s order by number`,
    );
  });
  if (sold.length === 0) throw notFound('free_cards', 'Free cards was not found');
  if (input.email) {
    // openmor has no mailer yet: the sale stands and the missed e-mail is logged (card_from_group_sell §6).
    await logAction(ctx, {
      action: 'card_email_not_sent',
      targetType: 'cardgroup',
      targetId: group.id,
      data: input.email,
    });
  }
  return { currency: system, cards: sold };
}
