import { deviceRules } from '../../../db/schema/devices.ts';
import { logAction } from '../../actions/logAction.ts';
import { type Ctx, withTransaction } from '../../ctx.ts';
import { invalid } from '../../errors.ts';
import { ruleDevice } from './ruleAccess.ts';

export interface CreateDeviceRule {
  deviceId: number | undefined;
  name?: string | undefined;
  cut?: string | undefined;
  add?: string | undefined;
  minlen?: string | undefined;
  maxlen?: string | undefined;
  prType?: string | undefined;
  changeCalleridName?: string | undefined;
}

const ADD_FAILED = 'Add failed';
const MAX_TEXT = 100;
const length = (raw: string | undefined, fallback: number) => {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,6}$/.test(raw)) throw invalid('device_rule_len', ADD_FAILED);
  return Number(raw);
};

/**
 * device_rule_create: checks, in order, the device (in reach), the name, cut/add (one of them), then
 * the other values (`Add failed`); creates the rule enabled, outside any rule group, and logs it.
 */
export async function createDeviceRule(ctx: Ctx, input: CreateDeviceRule): Promise<number> {
  return withTransaction(ctx, async (tx) => {
    const device = await ruleDevice(tx, input.deviceId, 2, true);
    const name = (input.name ?? '').trim();
    if (name === '') throw invalid('device_rule_name', 'name cannot be blank');
    const cut = input.cut ?? '';
    const add = input.add ?? '';
    if (cut === '' && add === '') throw invalid('device_rule_cut_add', 'both add and cut cannot be blank');
    if (name.length > MAX_TEXT || cut.length > MAX_TEXT || add.length > MAX_TEXT) {
      throw invalid('device_rule_text', ADD_FAILED);
    }
    const minlen = length(input.minlen, 1);
    const maxlen = length(input.maxlen, 100);
    const prType = input.prType === undefined || input.prType === '' ? 'dst' : input.prType;
    if (prType !== 'src' && prType !== 'dst') throw invalid('device_rule_type', ADD_FAILED);
    const flag = input.changeCalleridName ?? '0';
    if (flag !== '0' && flag !== '1' && flag !== '') throw invalid('device_rule_flag', ADD_FAILED);
    const [row] = await tx.db
      .insert(deviceRules)
      .values({
        deviceId: device.id,
        name,
        cut,
        add,
        minlen,
        maxlen,
        prType,
        changeCalleridName: flag === '1',
        enabled: true,
        devicerulegroupId: 0,
      })
      .returning({ id: deviceRules.id });
    await logAction(tx, { action: 'device_rule_created', targetType: 'device_rule', targetId: row!.id, data: name });
    return row!.id;
  });
}
