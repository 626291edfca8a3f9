import { and, eq, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { whitelistedIps } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { type WhitelistedIpView, whitelistedIpView } from './listWhitelistedIps.ts';
import { requireMonitorings } from './monitoringsAccess.ts';
import { whitelistEntries } from './whitelistedIpFormat.ts';

export const UpdateWhitelistedIp = v.strictObject({
  id: RowId,
  /** A single IPv4 or a CIDR network (a range would make several rows: use create). */
  ip: v.optional(v.pipe(v.string(), v.maxLength(64))),
  allowApi: v.optional(v.boolean()),
  comment: v.optional(v.pipe(v.string(), v.maxLength(255))),
});
export type UpdateWhitelistedIp = v.InferOutput<typeof UpdateWhitelistedIp>;

/** Changes one Whitelisted IPs row; takes effect on the next API request. */
export async function updateWhitelistedIp(ctx: Ctx, input: UpdateWhitelistedIp): Promise<WhitelistedIpView> {
  requireMonitorings(ctx.actor, 2);
  const entries = input.ip === undefined ? undefined : whitelistEntries(input.ip);
  if (entries && entries.length !== 1) {
    throw invalid('ip', 'A range makes several rows: create them, then delete this one');
  }
  const ip = entries?.[0];
  const row = await withTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(whitelistedIps).where(eq(whitelistedIps.id, input.id)).for('update');
    if (!before) throw notFound('whitelisted_ip', 'Whitelisted IP was not found');
    if (ip === undefined && input.allowApi === undefined && input.comment === undefined) return before;
    if (ip !== undefined) {
      const taken = await tx.db
        .select({ id: whitelistedIps.id })
        .from(whitelistedIps)
        .where(and(eq(whitelistedIps.ip, ip), ne(whitelistedIps.id, input.id)));
      if (taken.length > 0) throw conflict('whitelisted_ip', `Already whitelisted: ${ip}`);
    }
    const [after] = await tx.db
      .update(whitelistedIps)
      .set({ ip, allowApi: input.allowApi, comment: input.comment })
      .where(eq(whitelistedIps.id, input.id))
      .returning();
    await logAction(tx, {
      action: 'whitelisted_ip_updated',
      targetType: 'whitelisted_ip',
      targetId: input.id,
      data: `${before.ip} allow_api=${before.allowApi ? 1 : 0}`,
      data2: `${after!.ip} allow_api=${after!.allowApi ? 1 : 0}`,
    });
    return after!;
  });
  ctx.invalidateAuth();
  return whitelistedIpView(row);
}
