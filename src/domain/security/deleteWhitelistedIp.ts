import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { whitelistedIps } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireMonitorings } from './monitoringsAccess.ts';

export const DeleteWhitelistedIp = v.strictObject({ id: RowId });
export type DeleteWhitelistedIp = v.InferOutput<typeof DeleteWhitelistedIp>;

/** Removes one Whitelisted IPs row; its address is refused from the next API request (when restricted). */
export async function deleteWhitelistedIp(ctx: Ctx, input: DeleteWhitelistedIp): Promise<{ id: number }> {
  requireMonitorings(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.delete(whitelistedIps).where(eq(whitelistedIps.id, input.id)).returning();
    if (!row) throw notFound('whitelisted_ip', 'Whitelisted IP was not found');
    await logAction(tx, {
      action: 'whitelisted_ip_deleted',
      targetType: 'whitelisted_ip',
      targetId: row.id,
      data: row.ip,
    });
  });
  ctx.invalidateAuth();
  return { id: input.id };
}
