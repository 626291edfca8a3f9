import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../../db/rows.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { RowId } from '../../ids.ts';
import { requireTariffRight } from '../access.ts';
import { writableTariff } from '../tariffs/view.ts';

export const DeleteRates = v.object({
  tariffId: RowId,
  /** Rate ids (as listRates returns them). */
  ids: v.optional(v.array(RowId), []),
  /** Wholesale prefixes: every dated rate of each. */
  prefixes: v.optional(v.array(v.pipe(v.string(), v.regex(/^\d{1,20}$/))), []),
});
export type DeleteRates = v.InferInput<typeof DeleteRates>;

/** Deletes rates (and their bands) of one tariff by id or prefix; answers how many went. */
export async function deleteRates(ctx: Ctx, input: DeleteRates): Promise<{ deleted: number }> {
  requireTariffRight(ctx.actor, 2);
  const tariff = await writableTariff(ctx, input.tariffId);
  return withTransaction(ctx, async (tx) => {
    // The tariff row first, as writeRates takes it: a delete and an upsert of one tariff then run one
    // after the other instead of locking the same rates (and prefix-length counters) in two orders.
    await tx.db.execute(sql`update tariffs set last_update_date = now() where id = ${tariff.id}::int`);
    const gone = await queryRows<{ id: number }>(
      tx.db,
      sql`delete from rates where tariff_id = ${tariff.id}::int
        and (id in (select json_array_elements_text(${JSON.stringify(input.ids ?? [])}::json)::int)
          or prefix in (select json_array_elements_text(${JSON.stringify(input.prefixes ?? [])}::json)))
        returning id`,
    );
    await logAction(tx, {
      action: 'rates_deleted',
      targetType: 'tariff',
      targetId: tariff.id,
      data2: String(gone.length),
    });
    return { deleted: gone.length };
  });
}
