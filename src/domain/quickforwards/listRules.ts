import { asc, eq } from 'drizzle-orm';
import { quickforwardsRules } from '../../db/schema/quickforwards.ts';
import type { Ctx } from '../ctx.ts';
import { realmOf } from '../rating/access.ts';
import { type QuickforwardsRule, requireRuleManager, ruleInRealm } from './saveRule.ts';

/** The Quickforwards rules of the caller's realm, by id. */
export async function listQuickforwardsRules(ctx: Ctx): Promise<QuickforwardsRule[]> {
  requireRuleManager(ctx, 1);
  return ctx.db
    .select()
    .from(quickforwardsRules)
    .where(eq(quickforwardsRules.ownerId, realmOf(ctx.actor)))
    .orderBy(asc(quickforwardsRules.id));
}

export async function getQuickforwardsRule(ctx: Ctx, id: number): Promise<QuickforwardsRule> {
  requireRuleManager(ctx, 1);
  return ruleInRealm(ctx, id);
}
