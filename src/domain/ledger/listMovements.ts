import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { LEDGER_SOURCES } from '../../db/schema/ledger.ts';
import type { Ctx } from '../ctx.ts';
import { RowId, UserId } from '../ids.ts';
import { readableMovements } from './scope.ts';

export const ListMovements = v.strictObject({
  userId: v.optional(UserId),
  cardId: v.optional(RowId),
  source: v.optional(v.picklist(LEDGER_SOURCES)),
  /** ISO 8601; movements at or after. */
  from: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  /** ISO 8601; movements before. */
  till: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  /** The `nextCursor` of the previous page: movements older than it (newest first). */
  cursor: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
});
export type ListMovements = v.InferInput<typeof ListMovements>;

export interface MovementView {
  id: number;
  userId: number | null;
  cardId: number | null;
  realmId: number;
  /** Decimal text in the system currency (6 decimals, as stored). */
  amount: string;
  balanceAfter: string;
  source: string;
  sourceId: number | null;
  actorId: number | null;
  memo: string;
  /** ISO 8601 (UTC). */
  createdAt: string;
}

/** A page of ledger movements the actor may read, newest first; keyset-paged by id. */
export async function listMovements(
  ctx: Ctx,
  raw: ListMovements = {},
): Promise<{ movements: MovementView[]; nextCursor: number | null }> {
  const input = v.parse(ListMovements, raw);
  const where: SQL[] = [readableMovements(ctx.actor)];
  if (input.userId !== undefined) where.push(sql`l.user_id = ${input.userId}::int`);
  if (input.cardId !== undefined) where.push(sql`l.card_id = ${input.cardId}::int`);
  if (input.source) where.push(sql`l.source = ${input.source}::text`);
  if (input.from) where.push(sql`l.created_at >= ${input.from}::timestamptz`);
  if (input.till) where.push(sql`l.created_at < ${input.till}::timestamptz`);
  if (input.cursor) where.push(sql`l.id < ${input.cursor}::bigint`);
  const rows = await queryRows<MovementView>(
    ctx.db,
    sql`select l.id::int as id, l.user_id as "userId", l.card_id as "cardId", l.realm_id as "realmId",
        l.amount::text as amount, l.balance_after::text as "balanceAfter", l.source, l.source_id::int as "sourceId",
        l.actor_id as "actorId", l.memo,
        to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"
      from ledger l where ${sql.join(where, sql` and `)}
      order by l.id desc limit ${input.limit + 1}`,
  );
  const more = rows.length > input.limit;
  const movements = more ? rows.slice(0, input.limit) : rows;
  return { movements, nextCursor: more ? (movements.at(-1)?.id ?? null) : null };
}
