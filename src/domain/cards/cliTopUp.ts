import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { realmOf } from './access.ts';
import {
  BAD_GROUP,
  type CardByCliResult,
  cliCardView,
  createCliCard,
  creditUser,
  deviceCliOwner,
  FAILED,
} from './cliCards.ts';
import { creditCard, systemCurrency } from './credit.ts';
import type { CardRow } from './findCard.ts';
import type { GroupRow } from './findCardGroup.ts';
import { transferCardBalance } from './transfer.ts';

interface TopUp {
  cli: string;
  amount: string;
  /** The caller's card with this CLI (locked), or null. */
  cliCard: CardRow | null;
  group: GroupRow | null;
}

/**
 * The four "no PIN" cases of card_by_cli_update: (a) a new card in the group for a free CLI, (b) a
 * top-up of the CLI's card, (c) the CLI's card replaced by a new one in another group, which takes the
 * old balance while the old card is disabled, (d) a CLI of a device: its user's balance is topped up.
 */
export async function topUpByCli(tx: Ctx, { cli, amount, cliCard, group }: TopUp): Promise<CardByCliResult> {
  if (!/^\d{1,14}(\.\d+)?$/.test(amount)) throw invalid('amount', FAILED);
  const credit = async (cardId: number) => {
    const currency = await systemCurrency(tx);
    await creditCard(tx, { cardId, amount, currency, description: 'card_by_cli_update', action: 'card_payment' });
    return cliCardView(tx, cardId);
  };
  if (!cliCard) {
    const device = await deviceCliOwner(tx, cli, realmOf(tx.actor));
    if (device) {
      if (!device.mine) throw invalid('cli_taken', FAILED);
      return creditUser(tx, device.id, amount);
    }
    if (!group) throw invalid('cardgroup', BAD_GROUP);
    const id = await createCliCard(tx, group, cli, '0');
    await logAction(tx, { action: 'card_created_by_cli', targetType: 'card', targetId: id, data: cli });
    return credit(id);
  }
  if (!group || group.id === cliCard.cardgroupId) return credit(cliCard.id);
  // Another group: the old card is disabled (hidden, CLI released) and its balance moves to the new
  // card, both movements through the ledger.
  await queryRows(tx.db, sql`update cards set callerid = '', hidden = true where id = ${cliCard.id}::int`);
  const id = await createCliCard(tx, group, cli, '0');
  const moved = await transferCardBalance(tx, cliCard.id, id);
  await logAction(tx, {
    action: 'card_balance_transferred',
    targetType: 'card',
    targetId: id,
    data: `from card ${cliCard.id}`,
    data2: moved,
  });
  return credit(id);
}
