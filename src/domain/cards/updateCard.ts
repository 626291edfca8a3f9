import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { cards } from '../../db/schema/cards.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireCards } from './access.ts';
import { findCard } from './findCard.ts';
import { isDistributor } from './findCardGroup.ts';
import { instant, isAmount } from './groupFields.ts';

const Text = (max = 255) => v.optional(v.pipe(v.string(), v.maxLength(max)));

export const UpdateCard = v.object({
  cardId: RowId,
  number: Text(40),
  name: Text(),
  pin: Text(40),
  batchNumber: Text(),
  /** CLI for PIN-less use, unique among cards; '' removes it. */
  callerid: Text(),
  minBalance: Text(40),
  /** ISO 8601; null clears. */
  dailyChargePaidTill: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40)))),
  language: Text(10),
  /** A simple user of the card's owner; null removes the distributor. */
  distributorId: v.optional(v.nullable(RowId)),
  /** ISO 8601; null clears the first-use date. */
  firstUse: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40)))),
});
export type UpdateCard = v.InferOutput<typeof UpdateCard>;

async function taken(ctx: Ctx, column: 'number' | 'pin' | 'callerid', value: string, cardId: number) {
  const rows = await queryRows<{ id: number }>(
    ctx.db,
    sql`select id from cards where ${sql.raw(column)} = ${value}::text and id <> ${cardId}::int limit 1`,
  );
  return rows.length > 0;
}

const UNIQUE: Record<string, [string, string]> = {
  cards_number_idx: ['number', 'Number is already in use'],
  cards_pin_idx: ['pin', 'PIN is already in use'],
  cards_callerid_idx: ['callerid', 'Callerid is already in use'],
};

/**
 * Changes the sent fields of one card (calling_card_update, cards.update), checked in the documented
 * parameter order; the first failure answers and nothing is saved. Numbers, PINs and CLIs stay unique.
 */
export async function updateCard(ctx: Ctx, input: UpdateCard): Promise<void> {
  requireCards(ctx.actor, 2);
  const card = await findCard(ctx, { id: input.cardId });
  if (!card) throw notFound('card', 'Calling Card not found');
  const patch: Partial<typeof cards.$inferInsert> = {};
  const { number, pin, callerid, minBalance, dailyChargePaidTill: paid, distributorId, firstUse } = input;
  if (number !== undefined) {
    if (!new RegExp(`^\\d{${card.numberLength}}$`).test(number)) throw invalid('number', 'Invalid number');
    if (await taken(ctx, 'number', number, card.id)) throw conflict('number', 'Number is already in use');
    patch.number = number;
  }
  if (input.name !== undefined) patch.name = input.name;
  if (pin !== undefined) {
    if (!new RegExp(`^\\d{${card.pinLength}}$`).test(pin)) throw invalid('pin', 'Invalid PIN');
    if (await taken(ctx, 'pin', pin, card.id)) throw conflict('pin', 'PIN is already in use');
    patch.pin = pin;
  }
  if (input.batchNumber !== undefined) patch.batchNumber = input.batchNumber;
  if (callerid !== undefined) {
    if (callerid !== '' && (await taken(ctx, 'callerid', callerid, card.id))) {
      throw conflict('callerid', 'Callerid is already in use');
    }
    patch.callerid = callerid;
  }
  if (minBalance !== undefined) {
    if (!isAmount(minBalance)) throw invalid('min_balance', 'Invalid min balance');
    patch.minBalance = minBalance;
  }
  if (paid !== undefined) {
    const at = paid === null ? null : instant(paid);
    if (paid !== null && !at) throw invalid('daily_charge_paid_till', 'Invalid daily charge paid till');
    patch.dailyChargePaidTill = at;
  }
  if (input.language !== undefined) patch.language = input.language;
  if (distributorId !== undefined) {
    if (distributorId !== null && !(await isDistributor(ctx, distributorId, card.ownerId))) {
      throw invalid('distributor', 'Invalid distributor');
    }
    patch.userId = distributorId ?? -1;
  }
  if (firstUse !== undefined) {
    const at = firstUse === null ? null : instant(firstUse);
    if (firstUse !== null && !at) throw invalid('first_use', 'Invalid first use');
    patch.firstUse = at;
  }
  await withTransaction(ctx, async (tx) => {
    if (Object.keys(patch).length > 0) {
      try {
        await tx.db.update(cards).set(patch).where(eq(cards.id, card.id));
      } catch (error) {
        // A concurrent update took the value between the check and the write.
        const hit = UNIQUE[constraintOf(error) ?? ''];
        if (hit) throw conflict(hit[0], hit[1]);
        throw error;
      }
    }
    await logAction(tx, {
      action: 'card_updated',
      targetType: 'card',
      targetId: card.id,
      data: Object.keys(patch).join(','),
    });
  });
}

function constraintOf(error: unknown): string | undefined {
  for (
    let e = error as { constraint_name?: string; constraint?: string; cause?: unknown } | undefined, i = 0;
    e && i < 4;
    i++
  ) {
    const name = e.constraint_name ?? e.constraint;
    if (name) return name;
    e = e.cause as typeof e;
  }
  return undefined;
}
