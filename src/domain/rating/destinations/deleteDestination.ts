import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { conflict, notFound } from '../../errors.ts';
import { requireCatalogueRight } from '../access.ts';
import { lockDestinationWriters } from './lockDestinations.ts';

/** Deletes a destination; refused (CONFLICT `destination_in_use`) while rates reference it. */
export async function deleteDestination(ctx: Ctx, id: number): Promise<{ deleted: true }> {
  requireCatalogueRight(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    await lockDestinationWriters(tx);
    const [row] = await queryRows<{ prefix: string; used: boolean }>(
      tx.db,
      sql`select prefix, exists (select 1 from rates where destination_id = ${id}::int) as used
        from destinations where id = ${id}::int for update`,
    );
    if (!row) throw notFound('destination');
    if (row.used) throw conflict('destination_in_use', 'Destination has rates');
    await tx.db.execute(sql`delete from destinations where id = ${id}::int`);
    await logAction(tx, { action: 'destination_deleted', targetType: 'destination', targetId: id, data: row.prefix });
    return { deleted: true as const };
  });
}
