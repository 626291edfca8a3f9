import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { conflict, notFound } from '../../errors.ts';
import { IdOrZero, RowId } from '../../ids.ts';
import { requireCatalogueRight } from '../access.ts';
import { type DestinationGroupView, getDestinationGroup } from './listDestinationGroups.ts';

const Id = RowId;
export const CreateDestinationGroup = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** FIX, MOB, NGN… */
  desttype: v.optional(v.pipe(v.string(), v.maxLength(10))),
  flag: v.optional(v.pipe(v.string(), v.maxLength(50))),
});
export type CreateDestinationGroup = v.InferInput<typeof CreateDestinationGroup>;
export const UpdateDestinationGroup = v.object({ id: Id, ...v.partial(CreateDestinationGroup).entries });
export type UpdateDestinationGroup = v.InferInput<typeof UpdateDestinationGroup>;
export const AssignDestinations = v.object({
  /** 0 takes the destinations out of any group. */
  destinationGroupId: IdOrZero,
  destinationIds: v.pipe(v.array(Id), v.minLength(1), v.maxLength(100_000)),
});
export type AssignDestinations = v.InferInput<typeof AssignDestinations>;

export async function createDestinationGroup(ctx: Ctx, input: CreateDestinationGroup): Promise<DestinationGroupView> {
  requireCatalogueRight(ctx.actor, 2);
  const id = await withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into destinationgroups (name, desttype, flag) values (${input.name}, ${input.desttype ?? ''}, ${input.flag ?? ''}) returning id`,
    );
    await logAction(tx, {
      action: 'destination_group_created',
      targetType: 'destination_group',
      targetId: row!.id,
      data2: input.name,
    });
    return row!.id;
  });
  return getDestinationGroup(ctx, id);
}

export async function updateDestinationGroup(ctx: Ctx, input: UpdateDestinationGroup): Promise<DestinationGroupView> {
  requireCatalogueRight(ctx.actor, 2);
  const before = await getDestinationGroup(ctx, input.id);
  await withTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`update destinationgroups set name = coalesce(${input.name ?? null}::text, name),
      desttype = coalesce(${input.desttype ?? null}::text, desttype), flag = coalesce(${input.flag ?? null}::text, flag)
      where id = ${input.id}::int`);
    await logAction(tx, {
      action: 'destination_group_updated',
      targetType: 'destination_group',
      targetId: input.id,
      data: before.name,
    });
  });
  return getDestinationGroup(ctx, input.id);
}

/** Deletes a group: its destinations become ungrouped; refused while retail or custom rates price it. */
export async function deleteDestinationGroup(ctx: Ctx, id: number): Promise<{ deleted: true }> {
  requireCatalogueRight(ctx.actor, 2);
  const group = await getDestinationGroup(ctx, id);
  return withTransaction(ctx, async (tx) => {
    // The row lock orders this delete with a custom rate or retail rate naming the group (they read it
    // `for key share`): the check below sees what committed first, or the write finds no group.
    const [locked] = await queryRows(tx.db, sql`select id from destinationgroups where id = ${id}::int for update`);
    if (!locked) throw notFound('destination_group');
    const [use] = await queryRows<{ used: boolean }>(
      tx.db,
      sql`select exists (select 1 from rates where destinationgroup_id = ${id}::int)
        or exists (select 1 from customrates where destinationgroup_id = ${id}::int) as used`,
    );
    if (use?.used) throw conflict('destination_group_in_use', 'Destination group has retail or custom rates');
    await tx.db.execute(sql`update destinations set destinationgroup_id = 0 where destinationgroup_id = ${id}::int`);
    await tx.db.execute(sql`delete from destinationgroups where id = ${id}::int`);
    await logAction(tx, {
      action: 'destination_group_deleted',
      targetType: 'destination_group',
      targetId: id,
      data: group.name,
    });
    return { deleted: true as const };
  });
}

/** Puts destinations into a group (a destination is in at most one), or out of any with 0. */
export async function assignDestinations(ctx: Ctx, input: AssignDestinations): Promise<{ assigned: number }> {
  requireCatalogueRight(ctx.actor, 2);
  if (input.destinationGroupId !== 0) await getDestinationGroup(ctx, input.destinationGroupId);
  return withTransaction(ctx, async (tx) => {
    const rows = await queryRows<{ id: number }>(
      tx.db,
      sql`update destinations set destinationgroup_id = ${input.destinationGroupId}::int
        where id in (select json_array_elements_text(${JSON.stringify(input.destinationIds)}::json)::int) returning id`,
    );
    await logAction(tx, {
      action: 'destinations_assigned',
      targetType: 'destination_group',
      targetId: input.destinationGroupId,
      data2: String(rows.length),
    });
    return { assigned: rows.length };
  });
}
