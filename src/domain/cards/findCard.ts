import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { ownerScope } from './access.ts';

/** What card operations need of a card and its group. */
export interface CardRow {
  id: number;
  cardgroupId: number;
  ownerId: number;
  number: string;
  pin: string;
  callerid: string;
  balance: string;
  sold: boolean;
  groupName: string;
  numberLength: number;
  pinLength: number;
  taxId: number | null;
}

export type CardKey = { id: number } | { number: string } | { pin: string } | { callerid: string };

const keyWhere = (key: CardKey): SQL => {
  if ('id' in key) {
    const ok = Number.isSafeInteger(key.id) && key.id >= 0 && key.id <= 2_147_483_647;
    return ok ? sql`c.id = ${key.id}::int` : sql`false`;
  }
  if ('number' in key) return sql`c.number = ${key.number}::text`;
  if ('pin' in key) return sql`c.pin = ${key.pin}::text`;
  return key.callerid === '' ? sql`false` : sql`c.callerid = ${key.callerid}::text`;
};

/**
 * A visible card (card and group not hidden) of the actor's reach, or null. `adminAll: false` keeps
 * the admin to its own realm; `lock` takes the card's row lock for a money move; `anyOwner` drops
 * the reach (to tell "taken by someone else" from "free").
 */
export async function findCard(
  ctx: Pick<Ctx, 'db' | 'actor'>,
  key: CardKey,
  options: { adminAll?: boolean; lock?: boolean; anyOwner?: boolean } = {},
): Promise<CardRow | null> {
  const [row] = await queryRows<CardRow>(
    ctx.db,
    sql`select c.id, c.cardgroup_id as "cardgroupId", c.owner_id as "ownerId", c.number, c.pin, c.callerid,
      c.balance::text as balance, c.sold, g.name as "groupName", g.number_length as "numberLength",
      g.pin_length as "pinLength", g.tax_id as "taxId"
    from cards c join cardgroups g on g.id = c.cardgroup_id
    where ${keyWhere(key)} and not c.hidden and not g.hidden
      and ${options.anyOwner ? sql`true` : ownerScope(ctx.actor, sql`c.owner_id`, options.adminAll ?? true)}
    ${options.lock ? sql`for update of c` : sql``}`,
  );
  return row ?? null;
}
