import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireCards } from './access.ts';
import { findCardGroup, type GroupRow, isDistributor } from './findCardGroup.ts';
import { isAmount } from './groupFields.ts';
import { CHUNK, insertRange } from './insertRange.ts';

/** Cards between two progress lines in the log. */
const PROGRESS = 10_000;

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

/** Lets every request that waits for the database run before the next chunk (a macrotask, not a microtask). */
const yieldToOthers = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Free PINs of a length vs. cards not yet created in from…till (under the PIN length's advisory lock). */
async function room(tx: Ctx, group: GroupRow, from: string, till: string) {
  await queryRows(tx.db, sql`select pg_advisory_xact_lock(7301, ${group.pinLength}::int)`);
  const [counts] = await queryRows<{ existing: string; pins: string }>(
    tx.db,
    sql`select
      (select count(*) from cards where length(number) = ${group.numberLength}::int
        and number between ${from}::text and ${till}::text)::text as existing,
      (select count(*) from cards c join cardgroups g on g.id = c.cardgroup_id
        where g.pin_length = ${group.pinLength}::int)::text as pins`,
  );
  const toCreate = BigInt(till) - BigInt(from) + 1n - BigInt(counts!.existing);
  return { toCreate, fits: pinCapacity(group.pinLength) - BigInt(counts!.pins) >= toCreate };
}

/**
 * Creates the cards numbered cardsFrom…cardsTill in a group (calling_cards_create, cards.createBatch).
 * Numbers that already exist are skipped, so the answer may be partial (`created` < `requested`).
 * Every card gets a random PIN unique system-wide and the group's price as balance. A group whose PIN
 * length cannot hold that many more PINs is refused before anything is written.
 *
 * One transaction per chunk of 5,000 numbers, with a yield to waiting requests between chunks: a big
 * range never holds the database (PGlite's single connection, a pool slot on Postgres) for more than one
 * chunk. A failure stops at a chunk boundary: earlier chunks stay created, the answer counts them (the
 * range can be sent again: existing numbers are skipped).
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
  const values = {
    batchNumber: input.batchNumber ?? '',
    minBalance: input.minBalance ?? '0',
    language: input.language ?? 'en',
    distributorId: distributor,
  };
  // The whole range must fit before anything is written (a short transaction: counts only).
  if (!(await withTransaction(ctx, (tx) => room(tx, group, from, till))).fits) {
    throw invalid('pin_capacity', 'PIN is too short for this interval');
  }
  const pad = (n: bigint) => n.toString().padStart(group.numberLength, '0');
  const step = BigInt(CHUNK);
  let created = 0;
  for (let start = BigInt(from); start <= BigInt(till); start += step) {
    if (start !== BigInt(from)) await yieldToOthers();
    const end = start + step - 1n < BigInt(till) ? start + step - 1n : BigInt(till);
    const made = await withTransaction(ctx, async (tx) => {
      // Each chunk re-checks under the lock: a concurrent batch may have taken PINs meanwhile.
      const chunk = await room(tx, group, pad(start), pad(end));
      if (chunk.toCreate === 0n) return 0;
      if (!chunk.fits) return null;
      return insertRange(tx, group, pad(start), pad(end), values);
    });
    if (made === null) break;
    const before = created;
    created += made;
    // Progress in the log every 10,000 cards of a big batch.
    if (Math.floor(created / PROGRESS) > Math.floor(before / PROGRESS)) {
      ctx.log.info('cards batch progress', { cardGroupId: group.id, created, requested: Number(size) });
    }
  }
  await logAction(ctx, {
    action: 'cards_created',
    targetType: 'cardgroup',
    targetId: group.id,
    data: `${from}-${till}`,
    data2: `${created}/${size}`,
  });
  return { created, requested: Number(size) };
}
