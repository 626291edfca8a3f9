import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { quickforwardsRules } from '../../db/schema/quickforwards.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { realmOf } from '../rating/access.ts';
import { ruleRegex } from './rules.ts';

const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(255));
/** Digits, `[..]` lists, `%` runs, `|` alternatives (see rules.ts); empty matches no DID. */
const Rule = v.pipe(v.string(), v.trim(), v.maxLength(1000));

export const CreateQuickforwardsRule = v.object({ name: Name, rule: v.optional(Rule, '') });
export type CreateQuickforwardsRule = v.InferOutput<typeof CreateQuickforwardsRule>;
export const UpdateQuickforwardsRule = v.object({ ruleId: RowId, name: v.optional(Name), rule: v.optional(Rule) });
export type UpdateQuickforwardsRule = v.InferOutput<typeof UpdateQuickforwardsRule>;

export type QuickforwardsRule = typeof quickforwardsRules.$inferSelect;

/** Who manages Quickforwards rules: the admin, accountants with Manage devices (write), resellers (their own). */
export function requireRuleManager(ctx: Ctx, level: 1 | 2): void {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', level);
}

const checkRule = (rule: string | undefined) => {
  if (rule !== undefined && rule !== '' && ruleRegex(rule) === null) throw invalid('rule', 'Rule is not valid');
};

/** A rule of the caller's realm (another realm's answers like a missing one). */
export async function ruleInRealm(ctx: Ctx, id: number): Promise<QuickforwardsRule> {
  const [row] = await ctx.db
    .select()
    .from(quickforwardsRules)
    .where(and(eq(quickforwardsRules.id, id), eq(quickforwardsRules.ownerId, realmOf(ctx.actor))));
  if (!row) throw notFound('quickforwards_rule', 'Quickforwards rule was not found');
  return row;
}

/** A new rule owned by the caller's realm; assign it to users with `users.update { quickforwardsRuleId }`. */
export async function createQuickforwardsRule(ctx: Ctx, input: CreateQuickforwardsRule): Promise<QuickforwardsRule> {
  requireRuleManager(ctx, 2);
  checkRule(input.rule);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(quickforwardsRules)
      .values({ name: input.name, rule: input.rule, ownerId: realmOf(ctx.actor) })
      .returning();
    if (!row) throw new Error('quickforwards rule insert returned nothing');
    await logAction(tx, {
      action: 'quickforwards_rule_created',
      targetType: 'quickforwards_rule',
      targetId: row.id,
      data: row.rule,
    });
    return row;
  });
}

/** Changes the name and/or the rule; users holding it see the new set of DIDs at once. */
export async function updateQuickforwardsRule(ctx: Ctx, input: UpdateQuickforwardsRule): Promise<QuickforwardsRule> {
  requireRuleManager(ctx, 2);
  checkRule(input.rule);
  return withTransaction(ctx, async (tx) => {
    const before = await ruleInRealm(tx, input.ruleId);
    const [row] = await tx.db
      .update(quickforwardsRules)
      .set({ name: input.name ?? before.name, rule: input.rule ?? before.rule })
      .where(eq(quickforwardsRules.id, before.id))
      .returning();
    if (!row) throw new Error('quickforwards rule update returned nothing');
    await logAction(tx, {
      action: 'quickforwards_rule_updated',
      targetType: 'quickforwards_rule',
      targetId: row.id,
      data: before.rule,
      data2: row.rule,
    });
    return row;
  });
}
