import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { requireCards } from './access.ts';
import { systemCurrency } from './credit.ts';
import { findCard } from './findCard.ts';

export const GetCardBalance = v.object({ number: v.pipe(v.string(), v.maxLength(40)) });
export type GetCardBalance = v.InferOutput<typeof GetCardBalance>;

/** A card's balance, tax excluded, in the system currency (card_balance_get, cards.balance). */
export async function getCardBalance(ctx: Ctx, input: GetCardBalance): Promise<{ balance: string; currency: string }> {
  // A balance is financial data: an accountant without See financial data is refused (as user_balance_get).
  requireCards(ctx.actor, 1, { financial: true });
  const card = await findCard(ctx, { number: input.number });
  if (!card) throw notFound('card', 'Calling Card was not found');
  return { balance: card.balance, currency: await systemCurrency(ctx) };
}
