import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { providerRules } from '../../db/schema/lcrs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { providerRuleInReach, requireProviderRuleRole } from './providerRuleAccess.ts';

export const DeleteProviderRule = v.object({ id: RowId });

/** provider_rule_delete: a rule of a provider within reach, else `Provider rule was not found`; logs it. */
export async function deleteProviderRule(ctx: Ctx, input: { id?: number }): Promise<void> {
  requireProviderRuleRole(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const rule = await providerRuleInReach(tx, input.id);
    await tx.db.delete(providerRules).where(eq(providerRules.id, rule.id));
    await logAction(tx, {
      action: 'provider_rule_deleted',
      targetType: 'provider_rule',
      targetId: rule.id,
      data: JSON.stringify(rule),
    });
  });
}
