import { and, asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { lcrproviders, lcrs } from '../../db/schema/lcrs.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { type LcrRow, lcrInReach, NO_LCRS, reachableLcrs, requireLcrRole } from './lcrAccess.ts';

export const ListLcrs = v.object({ name: v.optional(v.pipe(v.string(), v.maxLength(255))) });
export type ListLcrs = v.InferOutput<typeof ListLcrs>;

/**
 * lcrs_get: the caller's LCRs (admin and accountants: the admin's; a reseller: its own) by id, only
 * those named exactly `name` when sent; none → `No LCRs found`.
 */
export async function listLcrs(ctx: Ctx, input: ListLcrs): Promise<LcrRow[]> {
  const rows = await lcrsInReach(ctx, input);
  if (rows.length === 0) throw notFound('lcr', NO_LCRS);
  return rows;
}

/** The LCRs in reach (named `name` when given), by id; possibly none. */
export async function lcrsInReach(ctx: Ctx, input: ListLcrs): Promise<LcrRow[]> {
  requireLcrRole(ctx.actor, 1);
  return ctx.db
    .select()
    .from(lcrs)
    .where(and(reachableLcrs(ctx.actor), input.name !== undefined ? eq(lcrs.name, input.name) : undefined))
    .orderBy(asc(lcrs.id));
}

export const LcrKey = v.object({ id: RowId });

/** One LCR within reach with its providers (tRPC get): main list by priority, then the failover list. */
export async function getLcr(ctx: Ctx, input: { id: number }) {
  requireLcrRole(ctx.actor, 1);
  const lcr = await lcrInReach(ctx, input.id);
  const links = await ctx.db
    .select()
    .from(lcrproviders)
    .where(eq(lcrproviders.lcrId, lcr.id))
    .orderBy(asc(lcrproviders.failover), asc(lcrproviders.priority), asc(lcrproviders.id));
  return {
    ...lcr,
    providers: links.map((l) => ({
      providerId: l.providerId,
      failover: l.failover,
      priority: l.priority,
      percent: l.percent,
      active: l.active,
    })),
  };
}
