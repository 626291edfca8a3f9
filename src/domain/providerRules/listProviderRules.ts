import { asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { providerRules } from '../../db/schema/lcrs.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { providerInReach } from '../providers/providerAccess.ts';
import { type ProviderRuleRow, requireProviderRuleRole } from './providerRuleAccess.ts';

export const ListProviderRules = v.object({ providerId: RowId });

/** The rules of a provider within reach, by id (possibly none); else `Provider was not found`. */
export async function providerRulesOf(ctx: Ctx, input: { providerId?: number }): Promise<ProviderRuleRow[]> {
  requireProviderRuleRole(ctx.actor, 1);
  const provider = await providerInReach(ctx, input.providerId);
  return ctx.db
    .select()
    .from(providerRules)
    .where(eq(providerRules.providerId, provider.id))
    .orderBy(asc(providerRules.id));
}

/** provider_rules_get: as providerRulesOf, but a provider without rules is `Provider has no rules`. */
export async function listProviderRules(ctx: Ctx, input: { providerId?: number }): Promise<ProviderRuleRow[]> {
  const rows = await providerRulesOf(ctx, input);
  if (rows.length === 0) throw notFound('provider_rules', 'Provider has no rules');
  return rows;
}
