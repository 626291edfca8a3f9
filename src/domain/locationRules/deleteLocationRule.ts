import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { locationRules } from '../../db/schema/devices.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { requireLocationRole, ruleInReach } from './locationAccess.ts';

export const DeleteLocationRule = v.object({ id: RowId });

/** location_rule_delete: a rule whose location is in reach (else `Rule was not found`); logs it. */
export async function deleteLocationRule(ctx: Ctx, input: { id?: number }): Promise<void> {
  requireLocationRole(ctx.actor, 'Access denied');
  await withTransaction(ctx, async (tx) => {
    const { rule } = await ruleInReach(tx, input.id, 'Rule was not found', 'update');
    await tx.db.delete(locationRules).where(eq(locationRules.id, rule.id));
    await logAction(tx, {
      action: 'location_rule_deleted',
      targetType: 'location_rule',
      targetId: rule.id,
      data: JSON.stringify(rule),
    });
  });
}
