import { and, eq, ilike } from 'drizzle-orm';
import * as v from 'valibot';
import { TARIFF_PURPOSES, tariffs } from '../../../db/schema/rating.ts';
import type { Ctx } from '../../ctx.ts';
import { readableTariffs, requireTariffRight, resellersMayUseAdminTariffs } from '../access.ts';
import { selectTariffs, type TariffView } from './view.ts';

export const ListTariffs = v.object({
  purpose: v.optional(v.picklist(TARIFF_PURPOSES)),
  /** Part of the name, case-insensitive. */
  search: v.optional(v.pipe(v.string(), v.maxLength(100))),
});
export type ListTariffs = v.InferInput<typeof ListTariffs>;

/** Tariffs the caller may read (resellers: own, plus the admin's user tariffs while allowed), by name. */
export async function listTariffs(ctx: Ctx, input: ListTariffs = {}): Promise<TariffView[]> {
  requireTariffRight(ctx.actor, 1);
  const allowed = ctx.actor.usertype === 'reseller' && (await resellersMayUseAdminTariffs(ctx));
  const search = input.search?.replace(/[\\%_]/g, (c) => `\\${c}`);
  return selectTariffs(
    ctx,
    and(
      readableTariffs(ctx.actor, allowed),
      input.purpose ? eq(tariffs.purpose, input.purpose) : undefined,
      search ? ilike(tariffs.name, `%${search}%`) : undefined,
    ),
  );
}
