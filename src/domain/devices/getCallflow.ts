import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { type CallflowView, callflowView, requireCallflowAccess } from './callflowView.ts';
import { findDevice } from './findDevice.ts';

export const GetCallflow = v.object({ deviceId: RowId });
export type GetCallflow = v.InferOutput<typeof GetCallflow>;

/** device_callflow_get: the six call-flow states of a device within reach. */
export async function getCallflow(ctx: Ctx, input: GetCallflow): Promise<CallflowView> {
  requireCallflowAccess(ctx.actor, 1);
  const { device } = await findDevice(ctx, { id: input.deviceId });
  return callflowView(ctx, device);
}
