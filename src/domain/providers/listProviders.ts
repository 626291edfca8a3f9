import { and, asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { providers } from '../../db/schema/dids.ts';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { providerInReach, reachableProviders, requireProviderReader } from './providerAccess.ts';

export const ListProviders = v.object({ providerId: v.optional(RowId) });
export type ListProviders = v.InferOutput<typeof ListProviders>;

export type ProviderRow = typeof providers.$inferSelect;

/**
 * providers_get: the providers of the caller's realm (admin and accountants: the admin's; a reseller:
 * its own), ordered by id; with `providerId` only that one, else `Provider was not found`.
 */
export async function listProviders(ctx: Ctx, input: { providerId?: number }): Promise<ProviderRow[]> {
  requireProviderReader(ctx.actor);
  if (input.providerId !== undefined) return [await providerInReach(ctx, input.providerId)];
  return ctx.db
    .select()
    .from(providers)
    .where(and(reachableProviders(ctx.actor)))
    .orderBy(asc(providers.id));
}

/** One provider within reach (tRPC get). */
export async function getProvider(ctx: Ctx, input: { providerId: number }): Promise<ProviderRow> {
  requireProviderReader(ctx.actor);
  return providerInReach(ctx, input.providerId);
}

export const providerById = (ctx: Ctx, id: number) => ctx.db.select().from(providers).where(eq(providers.id, id));
