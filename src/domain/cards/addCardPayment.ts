import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Account } from '../auth/types.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { disabled, forbidden, invalid, notFound } from '../errors.ts';
import { readConflines } from '../settings/writeConflines.ts';
import { requireCards } from './access.ts';
import { type Credited, creditCard, systemCurrency } from './credit.ts';
import { findCard } from './findCard.ts';

export const AddCardPayment = v.object({
  /** A sold card of the caller's own realm. */
  number: v.pipe(v.string(), v.maxLength(40)),
  /** Money paid, tax included, in `currency`: a decimal > 0. */
  amount: v.pipe(v.string(), v.maxLength(40)),
  /** Currency code of `amount` (default: the system currency); must be active. */
  currency: v.optional(v.pipe(v.string(), v.maxLength(10))),
  description: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});
export type AddCardPayment = v.InferOutput<typeof AddCardPayment>;

export interface CardPaymentAdded extends Credited {
  groupName: string;
  number: string;
  currency: string;
  amount: string;
  /** The system currency the amounts were converted to. */
  convertedTo: string;
  description: string;
}

/**
 * Who may top cards up: the admin (its own cards) and resellers with Calling Cards. Accountants and
 * everyone else are answered as if the card did not exist (card_payment_add names no accountant rule).
 */
export function requireCardPayments(actor: Account): void {
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller')
    throw forbidden('card_payments', 'Cards are topped up by the admin and resellers');
  requireCards(actor, 2);
}

/** "API allow Payments" (admin API setting; conflines `allow_api_payments`). */
export async function apiPaymentsAllowed(ctx: Pick<Ctx, 'db'>): Promise<boolean> {
  return (await readConflines(ctx, 0, ['allow_api_payments'])).allow_api_payments === '1';
}

/**
 * Tops a sold card up (card_payment_add, cards.topUp): `amount` converted to the system currency,
 * the group's tax removed, added to the balance; a completed `Card` payment records it. The card row
 * is locked for the move, so concurrent top-ups add up exactly.
 */
export async function addCardPayment(ctx: Ctx, input: AddCardPayment): Promise<CardPaymentAdded> {
  requireCardPayments(ctx.actor);
  return withTransaction(ctx, async (tx) => {
    const card = await findCard(tx, { number: input.number }, { adminAll: false, lock: true });
    if (!card?.sold) throw notFound('card', 'Calling Card was not found');
    const system = await systemCurrency(tx);
    const currency = input.currency ?? system;
    const [active] = await queryRows<{ ok: number }>(
      tx.db,
      sql`select 1 as ok from currencies where name = ${currency}::text and active`,
    );
    if (!active) throw disabled('currency', 'Currency disabled');
    const amount = input.amount.trim();
    if (!/^\d{1,14}(\.\d+)?$/.test(amount) || !/[1-9]/.test(amount)) throw invalid('amount', 'Amount is invalid');
    const description = input.description ?? '';
    const credited = await creditCard(tx, { cardId: card.id, amount, currency, description, action: 'card_payment' });
    return {
      ...credited!,
      groupName: card.groupName,
      number: card.number,
      currency,
      amount: input.amount,
      convertedTo: system,
      description,
    };
  });
}
