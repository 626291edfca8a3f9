import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { conflict, notFound } from '../../errors.ts';
import { requireCatalogueRight } from '../access.ts';
import { lockDestinationWriters } from './lockDestinations.ts';

export const CreateDirection = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** Country code such as LTU; cannot be changed later. */
  code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,10}$/)),
});
export type CreateDirection = v.InferInput<typeof CreateDirection>;

export interface DirectionView {
  id: number;
  name: string;
  code: string;
  destinationsCount: number;
}

const COLUMNS = sql`dr.id, dr.name, dr.code,
  (select count(*)::int from destinations d where d.direction_code = dr.code) as "destinationsCount"`;

/** Directions (countries) by name. */
export async function listDirections(ctx: Ctx): Promise<DirectionView[]> {
  requireCatalogueRight(ctx.actor, 1);
  return queryRows<DirectionView>(ctx.db, sql`select ${COLUMNS} from directions dr order by dr.name, dr.id`);
}

/** A new direction; codes are unique (CONFLICT `code_taken`). */
export async function createDirection(ctx: Ctx, input: CreateDirection): Promise<DirectionView> {
  requireCatalogueRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into directions (name, code) values (${input.name}, ${input.code}) on conflict (code) do nothing returning id`,
    );
    if (!row) throw conflict('code_taken', `Direction with code ${input.code} exists`);
    await logAction(tx, { action: 'direction_created', targetType: 'direction', targetId: row.id, data2: input.code });
    const [view] = await queryRows<DirectionView>(
      tx.db,
      sql`select ${COLUMNS} from directions dr where dr.id = ${row.id}::int`,
    );
    return view!;
  });
}

/** Deletes a direction and its destinations (MOR does so); refused while any of them has rates. */
export async function deleteDirection(ctx: Ctx, id: number): Promise<{ deleted: true; destinations: number }> {
  requireCatalogueRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    await lockDestinationWriters(tx);
    const [dir] = await queryRows<{ code: string; used: boolean }>(
      tx.db,
      sql`select dr.code, exists (select 1 from rates r join destinations d on d.id = r.destination_id
        where d.direction_code = dr.code) as used from directions dr where dr.id = ${id}::int`,
    );
    if (!dir) throw notFound('direction');
    if (dir.used) throw conflict('direction_in_use', 'Destinations of this direction have rates');
    const gone = await queryRows<{ id: number }>(
      tx.db,
      sql`delete from destinations where direction_code = ${dir.code} returning id`,
    );
    await tx.db.execute(sql`delete from directions where id = ${id}::int`);
    await logAction(tx, { action: 'direction_deleted', targetType: 'direction', targetId: id, data: dir.code });
    return { deleted: true as const, destinations: gone.length };
  });
}
