import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import type { Ctx } from '../../ctx.ts';
import { notFound } from '../../errors.ts';
import { requireCatalogueRight } from '../access.ts';

export interface DestinationGroupView {
  id: number;
  name: string;
  flag: string;
  desttype: string;
  destinationsCount: number;
}

export const GROUP_COLUMNS = sql`g.id, g.name, g.flag, g.desttype,
  (select count(*)::int from destinations d where d.destinationgroup_id = g.id) as "destinationsCount"`;

/** Destination groups by name, with how many destinations each holds. */
export async function listDestinationGroups(ctx: Ctx): Promise<DestinationGroupView[]> {
  requireCatalogueRight(ctx.actor, 1);
  return queryRows<DestinationGroupView>(
    ctx.db,
    sql`select ${GROUP_COLUMNS} from destinationgroups g order by g.name, g.id`,
  );
}

export async function getDestinationGroup(ctx: Pick<Ctx, 'db'>, id: number): Promise<DestinationGroupView> {
  const [row] = await queryRows<DestinationGroupView>(
    ctx.db,
    sql`select ${GROUP_COLUMNS} from destinationgroups g where g.id = ${id}::int`,
  );
  if (!row) throw notFound('destination_group');
  return row;
}
