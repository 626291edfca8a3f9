import { and, eq, sql } from 'drizzle-orm';
import { tariffs } from '../../db/schema/rating.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { realmOf, requireTariffRight } from './access.ts';
import { RowProblems, validateRateRows } from './rateRows.ts';
import { checkTariffFields, nameTakenMeanwhile } from './tariffFields.ts';
import { writeRates } from './writeRates.ts';

export interface SaveWholesaleTariff {
  /** Raw `id` as sent: absent or '' creates; anything that is not the caller's user_wholesale tariff is NOT_FOUND. */
  id?: string;
  name?: string;
  currency?: string;
  /** Optional rates (openmor extension: CSV rows or objects), upserted all-or-nothing with the tariff. */
  rates?: readonly unknown[];
}

/**
 * tariff_wholesale_update: creates (owner = the caller's realm, default system currency) or updates a
 * user wholesale tariff; with `rates`, upserts them in the same transaction. Every problem — the
 * tariff's fields and every invalid rate row — is reported at once (RowProblems) and nothing is written.
 */
export async function saveWholesaleTariff(
  ctx: Ctx,
  input: SaveWholesaleTariff,
): Promise<{ tariffId: number; created: boolean }> {
  requireTariffRight(ctx.actor, 2);
  const ownerId = realmOf(ctx.actor);
  let existing: { id: number; name: string; currency: string } | undefined;
  if (input.id !== undefined && input.id !== '') {
    const id = /^\d{1,9}$/.test(input.id) ? Number(input.id) : 0;
    [existing] = await ctx.db
      .select({ id: tariffs.id, name: tariffs.name, currency: tariffs.currency })
      .from(tariffs)
      .where(and(eq(tariffs.id, id), eq(tariffs.ownerId, ownerId), eq(tariffs.purpose, 'user_wholesale')));
    if (!existing) throw notFound('tariff');
  }
  const problems = await checkTariffFields(
    ctx,
    ownerId,
    { name: input.name, currency: input.currency },
    existing?.id ?? null,
  );
  const { rows, problems: rowProblems } = validateRateRows(input.rates ?? []);
  if (problems.length + rowProblems.length > 0) throw new RowProblems([...problems, ...rowProblems]);

  return withTransaction(ctx, async (tx) => {
    let tariffId = existing?.id;
    if (existing) {
      const patch = { name: input.name ?? existing.name, currency: input.currency ?? existing.currency };
      await tx.db
        .update(tariffs)
        .set({ ...patch, lastUpdateDate: sql`now()` })
        .where(eq(tariffs.id, existing.id))
        .catch(nameTakenMeanwhile((problems) => new RowProblems(problems)));
    } else {
      const [row] = await tx.db
        .insert(tariffs)
        .values({
          name: input.name!,
          purpose: 'user_wholesale',
          ownerId,
          currency: input.currency ?? sql`coalesce((select name from currencies where is_default limit 1), 'USD')`,
        })
        .returning({ id: tariffs.id })
        .catch(nameTakenMeanwhile((problems) => new RowProblems(problems)));
      tariffId = row!.id;
    }
    if (rows.length > 0) await writeRates(tx, tariffId!, rows);
    await logAction(tx, {
      action: existing ? 'tariff_updated' : 'tariff_created',
      targetType: 'tariff',
      targetId: tariffId!,
      data: existing ? `${existing.name} ${existing.currency}` : '',
      data2:
        `${input.name ?? existing?.name} ${input.currency ?? existing?.currency ?? ''}`.trim() +
        (rows.length > 0 ? ` rates=${rows.length}` : ''),
    });
    return { tariffId: tariffId!, created: !existing };
  });
}
