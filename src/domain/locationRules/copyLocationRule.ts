import * as v from 'valibot';
import { locationRules } from '../../db/schema/devices.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { duplicateRule, locationById, requireLocationRole, ruleInReach } from './locationAccess.ts';

export const CopyLocationRule = v.object({ id: RowId, locationId: RowId });

/**
 * location_rule_copy, checks in order: target location missing → `Location was not found`; a reseller's
 * target not its own → `Location error`; source rule missing or outside reach → `Location rule was not
 * found`; the same pattern already in the target → `Rule must be unique`. Inserts the copy (new id,
 * target location, every other field equal); logs `location_rule_copied`.
 */
export async function copyLocationRule(
  ctx: Ctx,
  input: { id?: number; locationId?: number },
): Promise<{ ruleId: number }> {
  requireLocationRole(ctx.actor, 'Access Denied');
  return withTransaction(ctx, async (tx) => {
    const target = await locationById(tx, input.locationId);
    if (!target) throw notFound('location', 'Location was not found');
    if (tx.actor.usertype === 'reseller' && target.ownerId !== tx.actor.id)
      throw forbidden('location', 'Location error');
    // The copy names the source's tariff, LCR and location groups without reading them again. Holding
    // the source `for key share` until the copy is written makes its delete or update wait, so a
    // delete of one of those rows meanwhile still sees the source naming it (then the copy).
    const { rule } = await ruleInReach(tx, input.id, 'Location rule was not found', 'key share');
    if (await duplicateRule(tx, target.id, rule)) throw conflict('unique', 'Rule must be unique');
    const { id: _id, ...fields } = rule;
    const [row] = await tx.db
      .insert(locationRules)
      .values({ ...fields, locationId: target.id })
      .returning({ id: locationRules.id });
    await logAction(tx, {
      action: 'location_rule_copied',
      targetType: 'location_rule',
      targetId: row!.id,
      data: String(rule.id),
    });
    return { ruleId: row!.id };
  });
}
