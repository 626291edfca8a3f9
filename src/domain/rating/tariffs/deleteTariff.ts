import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import { tariffs } from '../../../db/schema/rating.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { conflict, notFound } from '../../errors.ts';
import { requireTariffRight } from '../access.ts';
import { writableTariff } from './view.ts';

/**
 * Deletes a tariff and its rates. Refused (CONFLICT `tariff_in_use`) while a user or a card group has
 * it or a Default User template names it (`Tariff is assigned to users`), a provider prices with it or
 * a provider rule switches to it (`Tariff is assigned to providers`), or a location rule switches to
 * it (`Tariff is used by location rules`): rating those calls would fail silently.
 */
export async function deleteTariff(ctx: Ctx, id: number): Promise<{ deleted: true }> {
  requireTariffRight(ctx.actor, 2);
  const tariff = await writableTariff(ctx, id);
  await withTransaction(ctx, async (tx) => {
    // The row lock orders this delete with an assignment of the tariff (checkReferences, a card
    // group's tariffUsable, the provider, provider rule and location rule checks take the row `for key
    // share`): the check below sees a reference the assignment committed, or the assignment finds no
    // tariff. A delete that finds the row gone meanwhile answers as a sequential one would.
    const [row] = await queryRows(tx.db, sql`select id from tariffs where id = ${id}::int for update`);
    if (!row) throw notFound('tariff');
    const [use] = await queryRows<{ users: boolean; providers: boolean; rules: boolean }>(
      tx.db,
      sql`select exists (select 1 from users where tariff_id = ${id}::int)
        or exists (select 1 from cardgroups where tariff_id = ${id}::int)
        or exists (select 1 from conflines where name = 'default_user_tariff_id' and value = ${String(id)}::text) as users,
        exists (select 1 from providers where tariff_id = ${id}::int)
        or exists (select 1 from provider_rules where tariff_id = ${id}::int) as providers,
        exists (select 1 from location_rules where tariff_id = ${id}::int) as rules`,
    );
    if (use?.users) throw conflict('tariff_in_use', 'Tariff is assigned to users');
    if (use?.providers) throw conflict('tariff_in_use', 'Tariff is assigned to providers');
    if (use?.rules) throw conflict('tariff_in_use', 'Tariff is used by location rules');
    await tx.db.delete(tariffs).where(eq(tariffs.id, id));
    await logAction(tx, { action: 'tariff_deleted', targetType: 'tariff', targetId: id, data: tariff.name });
  });
  return { deleted: true };
}
