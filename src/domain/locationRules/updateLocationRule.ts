import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { locationRules } from '../../db/schema/devices.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { locationOwner, requireLocationRole, ruleInReach } from './locationAccess.ts';
import { checkRule, LocationRuleFields } from './ruleFields.ts';

export const UpdateLocationRule = v.object({ id: RowId, ...LocationRuleFields.entries });
export type UpdateLocationRule = v.InferOutput<typeof UpdateLocationRule>;

const NOT_FOUND = 'Location rule was not found';

/**
 * location_rule_update: changes the sent fields of a rule in a location of the caller (the admin's, a
 * reseller's own), checked like location_rule_create (`-1` unassigns a reference; other failures:
 * `Rule was not updated`); another owner's rule → `Location rule was not found`. Logs old/new values.
 */
export async function updateLocationRule(
  ctx: Ctx,
  input: Omit<UpdateLocationRule, 'id'> & { id?: number },
): Promise<void> {
  requireLocationRole(ctx.actor, 'Access Denied');
  await withTransaction(ctx, async (tx) => {
    const { rule, location } = await ruleInReach(tx, input.id, NOT_FOUND, 'update');
    if (location.ownerId !== locationOwner(tx.actor)) throw notFound('location_rule', NOT_FOUND);
    const { id: _id, ...fields } = input;
    const { id: _rid, locationId: _lid, ...current } = rule;
    const values = await checkRule(
      tx,
      fields,
      current,
      { locationId: location.id, ownerId: location.ownerId, exceptId: rule.id },
      'Rule was not updated',
    );
    await tx.db.update(locationRules).set(values).where(eq(locationRules.id, rule.id));
    await logAction(tx, {
      action: 'location_rule_updated',
      targetType: 'location_rule',
      targetId: rule.id,
      data: JSON.stringify(current),
      data2: JSON.stringify(values),
    });
  });
}
