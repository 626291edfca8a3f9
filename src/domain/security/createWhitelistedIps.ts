import { inArray } from 'drizzle-orm';
import * as v from 'valibot';
import { whitelistedIps } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { type WhitelistedIpView, whitelistedIpView } from './listWhitelistedIps.ts';
import { requireMonitorings } from './monitoringsAccess.ts';
import { whitelistEntries } from './whitelistedIpFormat.ts';

export const WHITELIST_DEFAULT_COMMENT = 'MOR-WHITELIST-GUI';

export const CreateWhitelistedIps = v.strictObject({
  /** `2.2.2.2`, `2.2.2.0/24` or `2.2.2.1-125` (expanded into one row per address). */
  ip: v.pipe(v.string(), v.maxLength(64)),
  allowApi: v.optional(v.boolean(), false),
  comment: v.optional(v.pipe(v.string(), v.maxLength(255)), WHITELIST_DEFAULT_COMMENT),
});
export type CreateWhitelistedIps = v.InferOutput<typeof CreateWhitelistedIps>;

/** Adds one Whitelisted IPs row, or one per address of a range. Any address already listed → CONFLICT, nothing added. */
export async function createWhitelistedIps(ctx: Ctx, input: CreateWhitelistedIps): Promise<WhitelistedIpView[]> {
  requireMonitorings(ctx.actor, 2);
  const ips = whitelistEntries(input.ip);
  const rows = await withTransaction(ctx, async (tx) => {
    const taken = await tx.db
      .select({ ip: whitelistedIps.ip })
      .from(whitelistedIps)
      .where(inArray(whitelistedIps.ip, ips));
    if (taken.length > 0) throw alreadyListed(taken.map((r) => r.ip));
    const created = await tx.db
      .insert(whitelistedIps)
      .values(ips.map((ip) => ({ ip, allowApi: input.allowApi, comment: input.comment })))
      .onConflictDoNothing()
      .returning();
    // A concurrent request listed one of them in between: refuse the whole input.
    if (created.length !== ips.length) throw alreadyListed(ips.filter((ip) => !created.some((r) => r.ip === ip)));
    for (const row of created) {
      await logAction(tx, {
        action: 'whitelisted_ip_created',
        targetType: 'whitelisted_ip',
        targetId: row.id,
        data: row.ip,
        data2: `allow_api=${row.allowApi ? 1 : 0}`,
      });
    }
    return created;
  });
  ctx.invalidateAuth();
  return rows.sort((a, b) => a.id - b.id).map(whitelistedIpView);
}

const alreadyListed = (ips: string[]) =>
  conflict('whitelisted_ip', `Already whitelisted: ${ips.slice(0, 5).join(', ')}${ips.length > 5 ? ', …' : ''}`);
