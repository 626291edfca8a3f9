import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { randomString } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';
import type { GroupRow } from './findCardGroup.ts';
import { taxFactor } from './money.ts';

export const FAILED = 'Failed to make transaction';
export const BAD_GROUP = 'Supplied Cardgroup_id is invalid';

/** The card card_by_cli_update answers with. Balance: 4 decimals, system currency, tax excluded. */
export interface CliCardView {
  id: number;
  cardgroupId: number;
  balance: string;
  callerid: string;
  pin: string;
  number: string;
}

export type CardByCliResult =
  | { kind: 'card'; card: CliCardView }
  | { kind: 'user'; user: { id: number; balance: string } };

export async function cliCardView(ctx: Pick<Ctx, 'db'>, id: number): Promise<CardByCliResult> {
  const [card] = await queryRows<CliCardView>(
    ctx.db,
    sql`select id, cardgroup_id as "cardgroupId", round(balance, 4)::text as balance, callerid, pin, number
      from cards where id = ${id}::int`,
  );
  return { kind: 'card', card: card! };
}

/** Row locks on cards in id order, so two transfers between the same cards never deadlock. */
export async function lockCards(ctx: Pick<Ctx, 'db'>, ids: number[]): Promise<void> {
  const list = [...new Set(ids)].sort((a, b) => a - b);
  if (list.length === 0) return;
  await queryRows(
    ctx.db,
    sql`select id from cards where id in (${sql.join(
      list.map((id) => sql`${id}::int`),
      sql`, `,
    )})
    order by id for update`,
  );
}

/**
 * A new sold card in `group` carrying the CLI, with a random free number and PIN of the group's lengths
 * and `balance` to start with. Fails the transaction when no free number/PIN is found.
 */
export async function createCliCard(tx: Ctx, group: GroupRow, cli: string, balance: string): Promise<number> {
  await queryRows(tx.db, sql`select pg_advisory_xact_lock(7301, ${group.pinLength}::int)`);
  for (let attempt = 0; attempt < 30; attempt++) {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into cards (cardgroup_id, owner_id, number, pin, balance, callerid, sold)
        values (${group.id}::int, ${group.ownerId}::int, ${randomString(group.numberLength, '0123456789')}::text,
          ${randomString(group.pinLength, '0123456789')}::text, ${balance}::numeric, ${cli}::text, true)
        on conflict do nothing returning id`,
    );
    if (row) return row.id;
  }
  throw invalid('no_free_card', FAILED);
}

/** A simple user of the actor's realm whose device carries the CLI, or null. `other`: the CLI is someone else's. */
export async function deviceCliOwner(ctx: Pick<Ctx, 'db'>, cli: string, realm: number) {
  const [row] = await queryRows<{ id: number; mine: boolean }>(
    ctx.db,
    sql`select u.id, (u.usertype = 'user' and u.owner_id = ${realm}::int) as mine
      from callerids ci join devices d on d.id = ci.device_id join users u on u.id = d.user_id
      where ci.cli = ${cli}::text limit 1`,
  );
  return row ?? null;
}

/**
 * Adds money paid through a device CLI to its user's balance: the user's tax removed, a completed
 * payment recorded, and the balance moved through the ledger (source `payment`, the payment's id) with
 * its action-log row. The amount is in the system currency; 0 records nothing.
 */
export async function creditUser(ctx: Ctx, userId: number, amount: string): Promise<CardByCliResult> {
  const a = sql`${amount}::numeric`;
  const [k] = await queryRows<{ id: number; balance: string; net: string; paymentId: number | null }>(
    ctx.db,
    sql`with k as (select u.id, u.owner_id, u.balance, round(${a} / ${taxFactor('t')}, 6) as net from users u
        left join taxes t on t.id = u.tax_id where u.id = ${userId}::int for update of u),
      p as (insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, comment,
          balance_before, balance_after)
        select k.id, k.owner_id, 'Manual', (select name from currencies where is_default order by id limit 1),
          k.net, ${a} - k.net, ${a}, 'card_by_cli_update', k.balance, k.balance + k.net
        from k where ${a} <> 0 returning id)
      select k.id, round(k.balance, 4)::text as balance, k.net::text as net, (select id from p)::int as "paymentId"
      from k`,
  );
  if (!k!.paymentId) return { kind: 'user', user: { id: k!.id, balance: k!.balance } };
  const moved = await moveUserBalance(ctx, k!.id, {
    amount: k!.net,
    source: 'payment',
    sourceId: k!.paymentId,
    memo: 'card_by_cli_update',
    action: 'user_balance_changed',
  });
  return { kind: 'user', user: { id: moved!.id, balance: moved!.after4 } };
}
