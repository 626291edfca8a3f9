import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireCards } from './access.ts';
import { findCardGroup, isDistributor } from './findCardGroup.ts';
import { isAmount } from './groupFields.ts';
import { insertRange } from './insertRange.ts';

export const CreateCards = v.object({
  cardGroupId: RowId,
  /** First card number of the range: digits, the group's number length. */
  cardsFrom: v.pipe(v.string(), v.maxLength(40)),
  /** Last card number (inclusive), same length, ≥ cardsFrom. */
  cardsTill: v.pipe(v.string(), v.maxLength(40)),
  batchNumber: v.optional(v.pipe(v.string(), v.maxLength(255))),
  /** Minimal balance of every new card, decimal ≥ 0 (default 0). */
  minBalance: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** A simple user of the group's owner; any other value means no distributor. */
  distributorId: v.optional(v.nullable(RowId)),
  language: v.optional(v.pipe(v.string(), v.maxLength(10))),
});
export type CreateCards = v.InferOutput<typeof CreateCards>;

export interface CardsCreated {
  created: number;
  /** Size of the range: cardsTill − cardsFrom + 1. */
  requested: number;
}

/** Most cards one request may create (a larger range would hold the transaction for minutes). */
export const MAX_CARDS_PER_REQUEST = 1_000_000;

/** MOR lets only 20 % of a PIN length's space be used, so random PINs stay hard to guess. */
const pinCapacity = (pinLength: number) => (10n ** BigInt(pinLength) * 2n) / 10n;

/**
 * Creates the cards numbered cardsFrom…cardsTill in a group (calling_cards_create, cards.createBatch).
 * Numbers that already exist are skipped, so the answer may be partial (`created` < `requested`).
 * Every card gets a random PIN unique system-wide and the group's price as balance. A group whose PIN
 * length cannot hold that many more PINs is refused before anything is written. One transaction.
 */
export async function createCards(ctx: Ctx, input: CreateCards): Promise<CardsCreated> {
  requireCards(ctx.actor, 2);
  const group = await findCardGroup(ctx, input.cardGroupId);
  const { cardsFrom: from, cardsTill: till } = input;
  if (from === '') throw invalid('cards_from_missing', 'Cards from was not found');
  if (till === '') throw invalid('cards_till_missing', 'Cards till was not found');
  const format = new RegExp(`^\\d{${group.numberLength}}$`);
  if (!format.test(from)) throw invalid('cards_from', 'Cards from is in incorrect format');
  if (!format.test(till)) throw invalid('cards_till', 'Cards till is in incorrect format');
  if (from > till) throw invalid('cards_order', 'Cards from must not be greater than Cards till');
  const size = BigInt(till) - BigInt(from) + 1n;
  if (size > BigInt(MAX_CARDS_PER_REQUEST)) {
    throw invalid('cards_range', `Too many cards in the interval (at most ${MAX_CARDS_PER_REQUEST})`);
  }
  if (input.minBalance !== undefined && !isAmount(input.minBalance)) {
    throw invalid('min_balance', 'Invalid min balance');
  }
  const distributor =
    input.distributorId != null && (await isDistributor(ctx, input.distributorId, group.ownerId))
      ? input.distributorId
      : -1;
  return withTransaction(ctx, async (tx) => {
    // One PIN length at a time: the capacity count and the PIN draws then see every committed card.
    await queryRows(tx.db, sql`select pg_advisory_xact_lock(7301, ${group.pinLength}::int)`);
    const [counts] = await queryRows<{ existing: string; pins: string }>(
      tx.db,
      sql`select
        (select count(*) from cards where length(number) = ${group.numberLength}::int
          and number between ${from}::text and ${till}::text)::text as existing,
        (select count(*) from cards c join cardgroups g on g.id = c.cardgroup_id
          where g.pin_length = ${group.pinLength}::int)::text as pins`,
    );
    const toCreate = size - BigInt(counts!.existing);
    if (pinCapacity(group.pinLength) - BigInt(counts!.pins) < toCreate) {
      throw invalid('pin_capacity', 'PIN is too short for this interval');
    }
    const created =
      toCreate === 0n
        ? 0
        : await insertRange(tx, group, from, till, {
            batchNumber: input.batchNumber ?? '',
            minBalance: input.minBalance ?? '0',
            language: input.language ?? 'en',
            distributorId: distributor,
          });
    await logAction(tx, {
      action: 'cards_created',
      targetType: 'cardgroup',
      targetId: group.id,
      data: `${from}-${till}`,
      data2: `${created}/${size}`,
    });
    return { created, requested: Number(size) };
  });
}
