import { and, eq, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { callflows, devices } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { type CallflowState, type CallflowView, callflowView, requireCallflowAccess } from './callflowView.ts';
import { DIGITS } from './deviceRules.ts';
import { type Device, findDevice } from './findDevice.ts';
import { isId } from './reach.ts';

export const UpdateCallflow = v.object({
  deviceId: RowId,
  /** before_call, no_answer, busy, failed. */
  state: v.string(),
  /** empty, forward, voicemail, fax_detect (before_call only). */
  action: v.string(),
  forwardToDevice: v.optional(v.number()),
  externalNumber: v.optional(v.string()),
  faxDevice: v.optional(v.number()),
  /** Forward CallerID, first set wins in this order: device's, unchanged, a DID of the device, custom text. */
  deviceCallerid: v.optional(v.boolean()),
  srcCallerid: v.optional(v.boolean()),
  didId: v.optional(RowId),
  custom: v.optional(v.string()),
});
export type UpdateCallflow = v.InferOutput<typeof UpdateCallflow>;

const EDITABLE = ['before_call', 'no_answer', 'busy', 'failed'];
const ACTIONS = ['empty', 'forward', 'voicemail', 'fax_detect'];

/** device_callflow_update: sets the action of one editable state; answers the updated entry. */
export async function updateCallflow(ctx: Ctx, input: UpdateCallflow): Promise<CallflowView> {
  requireCallflowAccess(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const { device } = await findDevice(tx, { id: input.deviceId }, true);
    if (!EDITABLE.includes(input.state)) throw invalid('callflow_state', 'Callflow state is invalid');
    if (!ACTIONS.includes(input.action) || (input.action === 'fax_detect' && input.state !== 'before_call')) {
      throw invalid('callflow_action', 'Callflow action is invalid');
    }
    const row = { action: input.action, data: '', data2: '', data3: 1, data4: '', data5: '' };
    if (input.action === 'fax_detect') Object.assign(row, { data: String(await faxDevice(tx, input)), data2: 'fax' });
    if (input.action === 'forward') Object.assign(row, await forward(tx, device, input));
    await tx.db
      .insert(callflows)
      .values({ deviceId: device.id, cfType: input.state, priority: 1, ...row })
      .onConflictDoUpdate({ target: [callflows.deviceId, callflows.cfType], set: row });
    await logAction(tx, {
      action: 'callflow_changed',
      targetType: 'device',
      targetId: device.id,
      data: input.state,
      data2: `${row.action} ${row.data}`.trim(),
    });
    return callflowView(tx, device, input.state as CallflowState);
  });
}

async function faxDevice(ctx: Ctx, input: UpdateCallflow): Promise<number> {
  try {
    const { device } = await findDevice(ctx, { id: input.faxDevice ?? NaN });
    if (device.deviceType === 'FAX') return device.id;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
  throw notFound('fax_device', 'Fax device was not found');
}

async function forward(ctx: Ctx, device: Device, input: UpdateCallflow) {
  let target: { data: string; data2: string };
  if (input.forwardToDevice !== undefined) {
    const [local] = isId(input.forwardToDevice)
      ? await ctx.db
          .select({ id: devices.id })
          .from(devices)
          .where(
            and(eq(devices.id, input.forwardToDevice), eq(devices.userId, device.userId), ne(devices.id, device.id)),
          )
      : [];
    if (!local) throw notFound('forward_device', 'Forward device was not found');
    target = { data: String(local.id), data2: 'local' };
  } else if (input.externalNumber !== undefined) {
    if (!DIGITS.test(input.externalNumber)) throw invalid('external_number', 'External number is invalid');
    target = { data: input.externalNumber, data2: 'external' };
  } else throw invalid('forward_destination', 'Forward destination is missing');
  if (input.deviceCallerid) return { ...target, data3: 1, data4: '' };
  if (input.srcCallerid) return { ...target, data3: 2, data4: '' };
  if (input.didId !== undefined) {
    const [did] = isId(input.didId)
      ? await ctx.db
          .select({ id: dids.id })
          .from(dids)
          .where(and(eq(dids.id, input.didId), eq(dids.deviceId, device.id)))
      : [];
    if (!did) throw notFound('did', 'DID was not found');
    return { ...target, data3: 3, data4: String(did.id) };
  }
  if (input.custom !== undefined) return { ...target, data3: 4, data4: input.custom };
  return { ...target, data3: 1, data4: '' };
}
