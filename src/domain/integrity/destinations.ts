import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';

/** A destination the Integrity Check lists, with the group its fix screen would pre-select. */
export interface UngroupedDestination {
  id: number;
  prefix: string;
  name: string;
  directionCode: string;
  /** 0 = in no group; otherwise the id of a group that does not exist. */
  destinationGroupId: number;
  /** The group whose name equals the destination's name (MOR's pre-selection), or null. */
  suggestedGroupId: number | null;
}

/**
 * "Destinations not assigned to Destination Groups" (Integrity Check): destinations in no group, and
 * (openmor) those pointing at a group that no longer exists. Either way retail rating finds no rate for
 * them. Admin, or an accountant with Manage Tariffs; advisory only.
 */
export async function integrityDestinations(ctx: Ctx): Promise<UngroupedDestination[]> {
  const { actor } = ctx;
  const allowed =
    actor.usertype === 'admin' || (actor.usertype === 'accountant' && (actor.rights.tariffs_manage ?? 0) >= 1);
  if (!allowed) throw forbidden('integrity');
  return queryRows<UngroupedDestination>(
    ctx.db,
    sql`select d.id, d.prefix, d.name, d.direction_code as "directionCode", d.destinationgroup_id as "destinationGroupId",
      (select g.id from destinationgroups g where lower(g.name) = lower(d.name) order by g.id limit 1) as "suggestedGroupId"
    from destinations d
    where d.destinationgroup_id = 0 or not exists (select 1 from destinationgroups g where g.id = d.destinationgroup_id)
    order by d.prefix`,
  );
}
