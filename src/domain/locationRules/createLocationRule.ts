import * as v from 'valibot';
import { locationRules } from '../../db/schema/devices.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { locationById, locationOwner, requireLocationRole } from './locationAccess.ts';
import { checkRule, LocationRuleFields, RULE_DEFAULTS } from './ruleFields.ts';

export const CreateLocationRule = v.object({ locationId: v.optional(RowId), ...LocationRuleFields.entries });
export type CreateLocationRule = v.InferOutput<typeof CreateLocationRule>;

/**
 * location_rule_create: a rule in a location of the caller (the admin's for the admin and accountants,
 * a reseller's own). Missing location → `Location not found`; another owner's → `Location error`; then
 * the checks of checkRule (other failures: `Rule was not created`). Logs `location_rule_created`.
 */
export async function createLocationRule(ctx: Ctx, input: CreateLocationRule): Promise<{ ruleId: number }> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return withTransaction(ctx, async (tx) => {
    const location = await locationById(tx, input.locationId);
    if (!location) throw notFound('location', 'Location not found');
    if (location.ownerId !== locationOwner(tx.actor)) throw forbidden('location', 'Location error');
    const { locationId: _l, ...fields } = input;
    const values = await checkRule(
      tx,
      fields,
      RULE_DEFAULTS,
      { locationId: location.id, ownerId: location.ownerId },
      'Rule was not created',
    );
    const [row] = await tx.db
      .insert(locationRules)
      .values({ ...values, locationId: location.id })
      .returning({ id: locationRules.id });
    await logAction(tx, {
      action: 'location_rule_created',
      targetType: 'location_rule',
      targetId: row!.id,
      data: values.name,
    });
    return { ruleId: row!.id };
  });
}
