import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { lcrproviders, lcrs } from '../../db/schema/lcrs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { Problems } from '../devices/problems.ts';
import { RowId } from '../ids.ts';
import { lcrInReach, requireLcrRole } from './lcrAccess.ts';

export const DeleteLcr = v.object({ id: RowId });
export type DeleteLcr = v.InferOutput<typeof DeleteLcr>;

/**
 * True when a user, a location rule or a card group routes by the LCR, or a Default User (any owner's)
 * names it: new users and card groups would take a deleted LCR.
 */
async function lcrInUse(ctx: Ctx, id: number): Promise<boolean> {
  const [row] = await queryRows<{ used: boolean }>(
    ctx.db,
    sql`select (exists (select 1 from users where lcr_id = ${id}::int)
      or exists (select 1 from location_rules where lcr_id = ${id}::int)
      or exists (select 1 from cardgroups where lcr_id = ${id}::int)
      or exists (select 1 from conflines where name = 'default_user_lcr_id' and value = ${String(id)}::text)) as used`,
  );
  return row?.used === true;
}

/**
 * lcr_delete: refused (`LCR was not deleted` / `LCR is in use`) while a user, a location rule or a
 * card group routes by it or a Default User names it; else deletes it and its provider links, logs
 * `lcr_deleted`. No request writes `default_user_lcr_id` (conflines_update does not take it and a new
 * reseller does not copy the admin's), so only the row lock's usual writers race this check.
 */
export async function deleteLcr(ctx: Ctx, input: { id?: number }): Promise<void> {
  requireLcrRole(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const row = await lcrInReach(tx, input.id, true);
    if (await lcrInUse(tx, row.id)) throw new Problems('LCR was not deleted', ['LCR is in use']);
    await tx.db.delete(lcrproviders).where(eq(lcrproviders.lcrId, row.id));
    await tx.db.delete(lcrs).where(eq(lcrs.id, row.id));
    await logAction(tx, { action: 'lcr_deleted', targetType: 'lcr', targetId: row.id, data: row.name });
  });
}
