import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireCards } from './access.ts';
import { findCard } from './findCard.ts';

export const DisableCard = v.object({ cardId: RowId });
export type DisableCard = v.InferOutput<typeof DisableCard>;

/**
 * Disables a card (cards.disable): hidden from every list and lookup from now on, its CLI released.
 * Its number and PIN stay taken, so a used card can never be issued again.
 */
export async function disableCard(ctx: Ctx, input: DisableCard): Promise<void> {
  requireCards(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const card = await findCard(tx, { id: input.cardId }, { lock: true });
    if (!card) throw notFound('card', 'Calling Card not found');
    await queryRows(tx.db, sql`update cards set hidden = true, callerid = '' where id = ${card.id}::int`);
    await logAction(tx, { action: 'card_disabled', targetType: 'card', targetId: card.id, data: card.number });
  });
}
