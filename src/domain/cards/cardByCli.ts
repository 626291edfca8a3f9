import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { realmOf, requireCards } from './access.ts';
import { BAD_GROUP, type CardByCliResult, cliCardView, FAILED, lockCards } from './cliCards.ts';
import { topUpByCli } from './cliTopUp.ts';
import { type CardRow, findCard } from './findCard.ts';
import { findCardGroup, type GroupRow } from './findCardGroup.ts';
import { transferCardBalance } from './transfer.ts';

export const CardByCli = v.object({
  /** The caller ID that identifies the card (exact match). */
  callerid: v.pipe(v.string(), v.maxLength(100)),
  /** PIN of a card whose balance moves to the CLI's card (then `amount` is ignored). */
  pin: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** Money paid, system currency, group tax included (default 0). */
  amount: v.optional(v.pipe(v.string(), v.maxLength(40))),
  /** Group of a new card; when sent it must be the caller's (and, with a PIN, the card's group). */
  cardGroupId: v.optional(RowId),
});
export type CardByCli = v.InferOutput<typeof CardByCli>;

/**
 * Failures of the transaction itself (SQLSTATE class 40 rollback, 23 constraint — a concurrent request
 * took the CLI or number —, 55 lock not available): answered `Failed to make transaction`. Anything
 * else is a bug and stays an internal error.
 */
const isStorageError = (error: unknown) => {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string' && /^(40|23|55)[0-9A-Z]{3}$/.test(e.code)) return true;
    e = e.cause as typeof e;
  }
  return false;
};

/**
 * card_by_cli_update (cards.byCli): finds the caller's card by CLI and tops it up, creates it, moves
 * it to another group, or takes over the balance of the card with `pin`; all in one transaction, so a
 * failed transfer changes nothing. A CLI on another realm's card is refused without saying whose.
 */
export async function cardByCli(ctx: Ctx, input: CardByCli): Promise<CardByCliResult> {
  requireCards(ctx.actor, 2);
  const cli = input.callerid;
  if (cli === '') throw invalid('callerid_missing', 'Callerid was not found');
  let group: GroupRow | null = null;
  if (input.cardGroupId !== undefined) {
    group = await findCardGroup(ctx, input.cardGroupId, { adminAll: false }).catch((error: unknown) => {
      if (error instanceof DomainError) throw invalid('cardgroup', BAD_GROUP);
      throw error;
    });
  }
  try {
    return await withTransaction(ctx, async (tx) => {
      const first = await findCard(tx, { callerid: cli }, { anyOwner: true });
      const pinCard = input.pin === undefined ? null : await findCard(tx, { pin: input.pin }, { adminAll: false });
      await lockCards(
        tx,
        [first?.id, pinCard?.id].filter((id): id is number => id !== undefined),
      );
      // Locked now: re-read, and give up if a concurrent request moved the CLI meanwhile.
      const cliCard = await findCard(tx, { callerid: cli }, { anyOwner: true });
      if (cliCard?.id !== first?.id) throw invalid('concurrent', FAILED);
      if (cliCard && cliCard.ownerId !== realmOf(ctx.actor)) throw invalid('cli_taken', FAILED);
      if (input.pin === undefined) return topUpByCli(tx, { cli, amount: input.amount ?? '0', cliCard, group });
      if (!pinCard) throw notFound('card', 'Calling Card was not found');
      return pinMode(tx, cli, pinCard, cliCard, group);
    });
  } catch (error) {
    if (error instanceof DomainError || !isStorageError(error)) throw error;
    ctx.log.warn('card_by_cli_update rolled back', { error: String(error) });
    throw invalid('transaction', FAILED);
  }
}

async function pinMode(tx: Ctx, cli: string, pinCard: CardRow, cliCard: CardRow | null, group: GroupRow | null) {
  if (!cliCard) {
    // The PIN card takes the CLI and counts as sold.
    if (group && group.id !== pinCard.cardgroupId) throw invalid('cardgroup', BAD_GROUP);
    await queryRows(tx.db, sql`update cards set callerid = ${cli}::text, sold = true where id = ${pinCard.id}::int`);
    await logAction(tx, { action: 'card_callerid_set', targetType: 'card', targetId: pinCard.id, data: cli });
    return cliCardView(tx, pinCard.id);
  }
  if (cliCard.id === pinCard.id) return cliCardView(tx, cliCard.id);
  if (group && group.id !== cliCard.cardgroupId) throw invalid('cardgroup', BAD_GROUP);
  // Both rows are locked: the PIN card's balance is read and moved under the lock.
  const moved = await transferCardBalance(tx, pinCard.id, cliCard.id);
  await logAction(tx, {
    action: 'card_balance_transferred',
    targetType: 'card',
    targetId: cliCard.id,
    data: `from card ${pinCard.id}`,
    data2: moved,
  });
  return cliCardView(tx, cliCard.id);
}
