import { eq } from 'drizzle-orm';
import { deviceRules } from '../../../db/schema/devices.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { DomainError, notFound } from '../../errors.ts';
import { isId } from '../reach.ts';
import { ruleDevice } from './ruleAccess.ts';

const NOT_FOUND = 'Device rule was not found';

/** device_rule_delete: a rule of a device the caller may change; anything else `Device rule was not found`. */
export async function deleteDeviceRule(ctx: Ctx, ruleId: number | undefined): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [rule] = isId(ruleId)
      ? await tx.db.select().from(deviceRules).where(eq(deviceRules.id, ruleId)).for('update')
      : [];
    if (!rule) throw notFound('device_rule', NOT_FOUND);
    try {
      await ruleDevice(tx, rule.deviceId, 2);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw notFound('device_rule', NOT_FOUND);
      throw error;
    }
    await tx.db.delete(deviceRules).where(eq(deviceRules.id, rule.id));
    await logAction(tx, {
      action: 'device_rule_deleted',
      targetType: 'device_rule',
      targetId: rule.id,
      data: String(rule.deviceId),
    });
  });
}
