import { eq } from 'drizzle-orm';
import { quickforwardsRules } from '../../db/schema/quickforwards.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { requireRuleManager, ruleInRealm } from './saveRule.ts';

/** Deletes a rule; refused (CONFLICT) while a user holds it (its DIDs would vanish without notice). */
export async function deleteQuickforwardsRule(ctx: Ctx, id: number): Promise<{ id: number }> {
  requireRuleManager(ctx, 2);
  return withTransaction(ctx, async (tx) => {
    const rule = await ruleInRealm(tx, id);
    const [user] = await tx.db.select({ id: users.id }).from(users).where(eq(users.quickforwardsRuleId, id)).limit(1);
    if (user) throw conflict('quickforwards_rule_in_use', 'Quickforwards rule is assigned to users');
    await tx.db.delete(quickforwardsRules).where(eq(quickforwardsRules.id, id));
    await logAction(tx, {
      action: 'quickforwards_rule_deleted',
      targetType: 'quickforwards_rule',
      targetId: id,
      data: rule.rule,
    });
    return { id };
  });
}
