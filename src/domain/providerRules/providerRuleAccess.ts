import { and, eq } from 'drizzle-orm';
import { providers } from '../../db/schema/dids.ts';
import { providerRules } from '../../db/schema/lcrs.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { isId } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';
import { ACCESS_DENIED, reachableProviders } from '../providers/providerAccess.ts';

export type ProviderRuleRow = typeof providerRules.$inferSelect;

/**
 * Who works with provider rules: the admin, a reseller (rules of its own providers), an accountant
 * with Manage providers (read for lists, write for changes); anyone else → `Access Denied`.
 */
export function requireProviderRuleRole(actor: Account, level: 1 | 2): void {
  const ok =
    actor.usertype === 'admin' ||
    actor.usertype === 'reseller' ||
    (actor.usertype === 'accountant' && hasRight(actor, 'manage_provider', level));
  if (!ok) throw forbidden('role', ACCESS_DENIED);
}

export const RULE_NOT_FOUND = 'Provider rule was not found';

/** A rule whose provider is within reach; else `Provider rule was not found`. */
export async function providerRuleInReach(ctx: Ctx, ruleId: number | undefined): Promise<ProviderRuleRow> {
  if (!isId(ruleId)) throw notFound('provider_rule', RULE_NOT_FOUND);
  const [row] = await ctx.db
    .select({ rule: providerRules })
    .from(providerRules)
    .innerJoin(providers, eq(providers.id, providerRules.providerId))
    .where(and(eq(providerRules.id, ruleId), reachableProviders(ctx.actor)));
  if (!row) throw notFound('provider_rule', RULE_NOT_FOUND);
  return row.rule;
}
