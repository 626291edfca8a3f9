import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { ownerScope } from './access.ts';

/** What card operations need of a group. */
export interface GroupRow {
  id: number;
  ownerId: number;
  name: string;
  price: string;
  numberLength: number;
  pinLength: number;
  taxId: number | null;
}

/**
 * A visible (not hidden) card group of the actor's reach, or NOT_FOUND `card_group`. `lock` takes the
 * row lock, so card operations of one group serialise with its updates.
 */
export async function findCardGroup(
  ctx: Pick<Ctx, 'db' | 'actor'>,
  id: number | undefined,
  options: { adminAll?: boolean; lock?: boolean } = {},
): Promise<GroupRow> {
  const valid = id !== undefined && Number.isSafeInteger(id) && id >= 0 && id <= 2_147_483_647;
  const [row] = valid
    ? await queryRows<GroupRow>(
        ctx.db,
        sql`select id, owner_id as "ownerId", name, price::text as price, number_length as "numberLength",
          pin_length as "pinLength", tax_id as "taxId"
        from cardgroups g
        where id = ${id}::int and not hidden and ${ownerScope(ctx.actor, sql`g.owner_id`, options.adminAll ?? true)}
        ${options.lock ? sql`for update` : sql``}`,
      )
    : [];
  if (!row) throw notFound('card_group', 'Card group not found');
  return row;
}

/** True when `userId` may distribute the group owner's cards: a simple user owned by that owner. */
export async function isDistributor(ctx: Pick<Ctx, 'db'>, userId: number, ownerId: number): Promise<boolean> {
  if (!Number.isSafeInteger(userId) || userId < 1 || userId > 2_147_483_647) return false;
  const rows = await queryRows<{ id: number }>(
    ctx.db,
    sql`select id from users where id = ${userId}::int and usertype = 'user' and owner_id = ${ownerId}::int`,
  );
  return rows.length > 0;
}
