import { and, eq, sql } from 'drizzle-orm';
import { tariffs } from '../../db/schema/rating.ts';
import { users } from '../../db/schema/users.ts';
import { hasRight, visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { readableTariffs } from './access.ts';

export interface TariffRef {
  id: number;
  name: string;
  purpose: 'provider' | 'user' | 'user_wholesale';
  currency: string;
  ownerId: number;
}

export interface ResolvedTariff {
  tariff: TariffRef;
  /** The user whose custom rates belong in the answer, or null (an explicit tariff_id). */
  customRatesOf: number | null;
}

const columns = {
  id: tariffs.id,
  name: tariffs.name,
  purpose: tariffs.purpose,
  currency: tariffs.currency,
  ownerId: tariffs.ownerId,
};

/**
 * Which tariff tariff_rates_get exports (tariff_rates_get.md Behaviour 2–3): `userId` → that user's tariff
 * and custom rates (users the caller cannot see, and accountants without Manage Tariffs, find nothing);
 * else `tariffId` for admins and resellers (resellers: own, or the admin's user tariffs while allowed);
 * else the caller's own tariff. Simple users always get their own. NOT_FOUND `tariff` otherwise.
 */
export async function resolveTariff(
  ctx: Ctx,
  input: { userId?: number; tariffId?: number },
  adminTariffsAllowed: boolean,
): Promise<ResolvedTariff> {
  const { actor } = ctx;
  const role = actor.usertype;
  if (input.tariffId !== undefined && input.userId === undefined && (role === 'admin' || role === 'reseller')) {
    const [tariff] = await ctx.db
      .select(columns)
      .from(tariffs)
      .where(and(eq(tariffs.id, input.tariffId), readableTariffs(actor, adminTariffsAllowed)));
    if (!tariff) throw notFound('tariff');
    return { tariff, customRatesOf: null };
  }
  if (role === 'accountant' && !hasRight(actor, 'tariffs_manage')) throw notFound('tariff');
  const userId = role === 'user' || input.userId === undefined ? actor.id : input.userId;
  // A reseller's users may hold an admin tariff only while resellers may use admin tariffs.
  const adminTariffOk =
    role === 'reseller' && !adminTariffsAllowed
      ? sql`(${tariffs.ownerId} <> 0 or ${users.id} = ${actor.id})`
      : sql`true`;
  const [row] = await ctx.db
    .select(columns)
    .from(users)
    .innerJoin(tariffs, eq(tariffs.id, users.tariffId))
    .where(and(eq(users.id, userId), visibleUsers(actor), adminTariffOk));
  if (!row) throw notFound('tariff');
  return { tariff: row, customRatesOf: userId };
}
