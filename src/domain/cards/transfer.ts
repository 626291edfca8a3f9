import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { moveCardBalance } from '../ledger/moveBalance.ts';

/**
 * Moves the whole balance of card `fromId` onto card `toId` through the ledger (two `card_transfer`
 * movements naming each other). Call with both rows locked, inside the operation's transaction: the
 * balance is read under the lock, so the amount answered is the amount that moved.
 */
export async function transferCardBalance(tx: Ctx, fromId: number, toId: number): Promise<string> {
  const [row] = await queryRows<{ balance: string; zero: boolean }>(
    tx.db,
    sql`select balance::text as balance, balance = 0 as zero from cards where id = ${fromId}::int`,
  );
  const amount = row!.balance;
  if (row!.zero) return amount;
  const back = amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
  await moveCardBalance(tx, fromId, { amount: back, source: 'card_transfer', sourceId: toId, memo: 'to card' });
  await moveCardBalance(tx, toId, { amount, source: 'card_transfer', sourceId: fromId, memo: 'from card' });
  return amount;
}
