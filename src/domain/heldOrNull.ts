import { sql } from 'drizzle-orm';
import { queryRows } from '../db/rows.ts';
import type { Ctx } from './ctx.ts';

const isId = (id: number) => Number.isSafeInteger(id) && id >= 0 && id <= 2_147_483_647;

/**
 * `id` when a row of `table` has it, read `for key share`, else null: for a Default User setting a new
 * user or card group takes, which may name a row deleted since it was set. Called in the transaction
 * that writes the reference, the read makes a delete of that row (which locks it `for update` before its
 * in-use check) wait for the write and see it.
 */
export async function heldOrNull(
  ctx: Pick<Ctx, 'db'>,
  table: 'tariffs' | 'lcrs' | 'locations',
  id: number | null,
): Promise<number | null> {
  if (id === null || !isId(id)) return null;
  const rows = await queryRows<{ ok: number }>(
    ctx.db,
    sql`select 1 as ok from ${sql.raw(table)} where id = ${id}::int for key share`,
  );
  return rows.length > 0 ? id : null;
}
