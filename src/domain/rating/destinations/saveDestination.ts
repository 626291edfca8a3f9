import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { IdOrZero, RowId } from '../../ids.ts';
import { requireCatalogueRight } from '../access.ts';
import { Prefix } from '../values.ts';
import { DESTINATION_COLUMNS, DESTINATION_FROM, type DestinationView } from './listDestinations.ts';
import { lockDestinationWriters } from './lockDestinations.ts';

const fields = {
  name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  directionCode: v.optional(v.pipe(v.string(), v.maxLength(10))),
  /** FIX, MOB, NGN… */
  subcode: v.optional(v.pipe(v.string(), v.maxLength(10))),
  /** 0 = in no group. */
  destinationGroupId: v.optional(IdOrZero),
};
export const CreateDestination = v.object({ prefix: Prefix, ...fields, name: v.pipe(v.string(), v.minLength(1)) });
export type CreateDestination = v.InferInput<typeof CreateDestination>;
/** The prefix cannot change: rates keep a copy of it. */
export const UpdateDestination = v.object({ id: RowId, ...fields });
export type UpdateDestination = v.InferInput<typeof UpdateDestination>;

async function checkRefs(ctx: Ctx, input: { directionCode?: string; destinationGroupId?: number }) {
  const [row] = await queryRows<{ direction: boolean; grp: boolean }>(
    ctx.db,
    sql`select (${input.directionCode ?? ''}::text = '' or exists (select 1 from directions where code = ${input.directionCode ?? ''}::text)) as direction,
      (${input.destinationGroupId ?? 0}::int = 0 or exists (select 1 from destinationgroups where id = ${input.destinationGroupId ?? 0}::int)) as grp`,
  );
  if (!row?.direction) throw invalid('direction', 'Direction was not found');
  if (!row.grp) throw invalid('destination_group', 'Destination group was not found');
}

async function view(ctx: Ctx, id: number): Promise<DestinationView> {
  const [row] = await queryRows<DestinationView>(
    ctx.db,
    sql`select ${DESTINATION_COLUMNS} from ${DESTINATION_FROM} where d.id = ${id}::int`,
  );
  if (!row) throw notFound('destination');
  return row;
}

/** A new destination (unique prefix; admin and accountants with Manage Tariffs write). */
export async function createDestination(ctx: Ctx, input: CreateDestination): Promise<DestinationView> {
  requireCatalogueRight(ctx.actor, 2);
  await checkRefs(ctx, input);
  const id = await withTransaction(ctx, async (tx) => {
    await lockDestinationWriters(tx);
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into destinations (prefix, name, direction_code, subcode, destinationgroup_id)
        values (${input.prefix}, ${input.name}, ${input.directionCode ?? ''}, ${input.subcode ?? ''}, ${input.destinationGroupId ?? 0}::int)
        on conflict (prefix) do nothing returning id`,
    );
    if (!row) throw conflict('prefix_taken', `Destination with prefix ${input.prefix} exists`);
    await logAction(tx, {
      action: 'destination_created',
      targetType: 'destination',
      targetId: row.id,
      data2: input.prefix,
    });
    return row.id;
  });
  return view(ctx, id);
}

/** Changes a destination's name, direction, type or group (only the fields sent). */
export async function updateDestination(ctx: Ctx, input: UpdateDestination): Promise<DestinationView> {
  requireCatalogueRight(ctx.actor, 2);
  const before = await view(ctx, input.id);
  await checkRefs(ctx, input);
  await withTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`update destinations set name = coalesce(${input.name ?? null}::text, name),
      direction_code = coalesce(${input.directionCode ?? null}::text, direction_code),
      subcode = coalesce(${input.subcode ?? null}::text, subcode),
      destinationgroup_id = coalesce(${input.destinationGroupId ?? null}::int, destinationgroup_id)
      where id = ${input.id}::int`);
    await logAction(tx, {
      action: 'destination_updated',
      targetType: 'destination',
      targetId: input.id,
      data: before.name,
    });
  });
  return view(ctx, input.id);
}
