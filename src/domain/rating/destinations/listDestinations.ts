import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import type { Ctx } from '../../ctx.ts';
import { IdOrZero } from '../../ids.ts';
import { requireCatalogueRight } from '../access.ts';

export const ListDestinations = v.object({
  /** Destinations whose prefix starts with these digits. */
  prefix: v.optional(v.pipe(v.string(), v.regex(/^\d{0,20}$/))),
  /** Part of the name, case-insensitive. */
  search: v.optional(v.pipe(v.string(), v.maxLength(100))),
  /** 0 = in no group. */
  destinationGroupId: v.optional(IdOrZero),
  directionCode: v.optional(v.string()),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
});
export type ListDestinations = v.InferInput<typeof ListDestinations>;

export interface DestinationView {
  id: number;
  prefix: string;
  name: string;
  directionCode: string;
  direction: string;
  subcode: string;
  /** 0 = in no group. */
  destinationGroupId: number;
  destinationGroup: string;
}

export const DESTINATION_COLUMNS = sql`d.id, d.prefix, d.name, d.direction_code as "directionCode",
  coalesce(dr.name, '') as direction, d.subcode, d.destinationgroup_id as "destinationGroupId",
  coalesce(g.name, '') as "destinationGroup"`;
export const DESTINATION_FROM = sql`destinations d left join directions dr on dr.code = d.direction_code
  left join destinationgroups g on g.id = d.destinationgroup_id`;

/** Directions and Destinations, by prefix, with the total; readable by admins, accountants and resellers. */
export async function listDestinations(
  ctx: Ctx,
  input: ListDestinations = {},
): Promise<{ total: number; items: DestinationView[] }> {
  requireCatalogueRight(ctx.actor, 1);
  const like = input.search ? `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await queryRows<DestinationView & { total: number }>(
    ctx.db,
    sql`select ${DESTINATION_COLUMNS}, count(*) over ()::int as total from ${DESTINATION_FROM}
      where d.prefix like ${input.prefix ?? ''}::text || '%'
        and (${like}::text is null or d.name ilike ${like}::text)
        and (${input.destinationGroupId ?? null}::int is null or d.destinationgroup_id = ${input.destinationGroupId ?? null}::int)
        and (${input.directionCode ?? null}::text is null or d.direction_code = ${input.directionCode ?? null}::text)
      order by d.prefix limit ${input.limit ?? 100}::int offset ${input.offset ?? 0}::int`,
  );
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _t, ...d }) => d) };
}
