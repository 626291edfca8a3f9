import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { randomString } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
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
 * Adds money paid through a device CLI to its user's balance in ONE statement: the user's tax removed,
 * a completed payment and an action-log row recorded. The amount is in the system currency.
 */
export async function creditUser(ctx: Ctx, userId: number, amount: string): Promise<CardByCliResult> {
  const a = sql`${amount}::numeric`;
  const [row] = await queryRows<{ id: number; balance: string }>(
    ctx.db,
    sql`with k as (select u.id, u.owner_id, ${taxFactor('t')} as factor from users u
        left join taxes t on t.id = u.tax_id where u.id = ${userId}::int for update of u),
      up as (update users u set balance = u.balance + round(${a} / k.factor, 6) from k where u.id = k.id
        returning u.id, u.balance, u.balance - round(${a} / k.factor, 6) as before),
      p as (insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, comment,
          balance_before, balance_after)
        select k.id, k.owner_id, 'Manual', (select name from currencies where is_default order by id limit 1),
          round(${a} / k.factor, 6), ${a} - round(${a} / k.factor, 6), ${a}, 'card_by_cli_update', up.before, up.balance
        from k, up where ${a} <> 0),
      l as (insert into actions (user_id, action, target_type, target_id, data, data2, ip)
        select ${ctx.actor.id}::int, 'user_balance_changed', 'user', up.id, up.before::text, up.balance::text,
          ${ctx.ip}::text from up where ${a} <> 0)
      select id, round(balance, 4)::text as balance from up`,
  );
  return { kind: 'user', user: row! };
}
