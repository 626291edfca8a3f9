import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import { tariffs } from '../../../db/schema/rating.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { conflict } from '../../errors.ts';
import { requireTariffRight } from '../access.ts';
import { writableTariff } from './view.ts';

/**
 * Deletes a tariff and its rates. Refused (CONFLICT `tariff_in_use`) while a user has it or a Default
 * User template names it: rating those users would fail silently.
 */
export async function deleteTariff(ctx: Ctx, id: number): Promise<{ deleted: true }> {
  requireTariffRight(ctx.actor, 2);
  const tariff = await writableTariff(ctx, id);
  const [use] = await queryRows<{ used: boolean }>(
    ctx.db,
    sql`select exists (select 1 from users where tariff_id = ${id}::int)
      or exists (select 1 from conflines where name = 'default_user_tariff_id' and value = ${String(id)}::text) as used`,
  );
  if (use?.used) throw conflict('tariff_in_use', 'Tariff is assigned to users');
  await withTransaction(ctx, async (tx) => {
    await tx.db.delete(tariffs).where(eq(tariffs.id, id));
    await logAction(tx, { action: 'tariff_deleted', targetType: 'tariff', targetId: id, data: tariff.name });
  });
  return { deleted: true };
}
