import { and, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { providers } from '../../db/schema/dids.ts';
import { lcrproviders, lcrs } from '../../db/schema/lcrs.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { Problems } from '../devices/problems.ts';
import { RowId } from '../ids.ts';
import { reachableProviders } from '../providers/providerAccess.ts';
import { lcrInReach, requireLcrRole } from './lcrAccess.ts';

/** lcrs.failover_provider_id follows the LCR's failover list: its first provider, or none. */
async function syncFailoverProvider(ctx: Ctx, lcrId: number): Promise<void> {
  await ctx.db
    .update(lcrs)
    .set({
      failoverProviderId: sql`(select provider_id from lcrproviders where lcr_id = ${lcrId}::int and failover
        order by priority, id limit 1)`,
    })
    .where(eq(lcrs.id, lcrId));
}

/** `failover` as sent: `0` (main list, default) or `1` (failover list). */
export const LcrProviderLink = v.object({
  id: RowId,
  providerId: v.optional(v.union([RowId, v.pipe(v.string(), v.maxLength(20))])),
  failover: v.optional(v.pipe(v.string(), v.maxLength(20))),
});
export interface LcrProviderInput {
  id?: number;
  providerId?: number | string;
  failover?: string;
}

const toId = (value: number | string | undefined) =>
  typeof value === 'number' ? value : value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : 0;

/**
 * lcr_add_provider: links a provider within the caller's reach to the LCR's main list (next priority,
 * percent 0) or, with failover 1, to its failover list (whose first provider is the LCR's
 * failover_provider_id). Refusals under `Provider was not added`:
 * `Provider was not found`, `Provider is already in LCR`, `Failover value is invalid`.
 */
export async function addLcrProvider(ctx: Ctx, input: LcrProviderInput): Promise<void> {
  requireLcrRole(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const lcr = await lcrInReach(tx, input.id, true);
    const fail = (message: string) => new Problems('Provider was not added', [message]);
    const providerId = toId(input.providerId);
    const [provider] = providerId
      ? await tx.db
          .select({ id: providers.id })
          .from(providers)
          .where(and(eq(providers.id, providerId), reachableProviders(tx.actor)))
          // Held until the link is written: a concurrent provider delete waits, then sees the link.
          .for('key share')
      : [];
    if (!provider) throw fail('Provider was not found');
    const failover = input.failover ?? '0';
    if (failover !== '0' && failover !== '1') throw fail('Failover value is invalid');
    const isFailover = failover === '1';
    const inserted = await tx.db
      .insert(lcrproviders)
      .values({
        lcrId: lcr.id,
        providerId: provider.id,
        failover: isFailover,
        priority: sql`(select coalesce(max(priority), 0) + 1 from lcrproviders where lcr_id = ${lcr.id}::int and failover = ${isFailover})`,
      })
      .onConflictDoNothing()
      .returning({ id: lcrproviders.id });
    if (inserted.length === 0) throw fail('Provider is already in LCR');
    if (isFailover) await syncFailoverProvider(tx, lcr.id);
    await logAction(tx, {
      action: 'lcr_provider_added',
      targetType: 'lcr',
      targetId: lcr.id,
      data: String(provider.id),
      data2: failover,
    });
  });
}

/**
 * lcr_delete_provider: removes the provider from the LCR's main list (or, with failover 1, its
 * failover list); not there → `Provider was not deleted` / `Provider was not found`.
 */
export async function deleteLcrProvider(ctx: Ctx, input: LcrProviderInput): Promise<void> {
  requireLcrRole(ctx.actor, 2);
  await withTransaction(ctx, async (tx) => {
    const lcr = await lcrInReach(tx, input.id, true);
    const providerId = toId(input.providerId);
    const failover = input.failover ?? '0';
    const removed =
      providerId && (failover === '0' || failover === '1')
        ? await tx.db
            .delete(lcrproviders)
            .where(
              and(
                eq(lcrproviders.lcrId, lcr.id),
                eq(lcrproviders.providerId, providerId),
                eq(lcrproviders.failover, failover === '1'),
              ),
            )
            .returning({ id: lcrproviders.id })
        : [];
    if (removed.length === 0) throw new Problems('Provider was not deleted', ['Provider was not found']);
    if (failover === '1') await syncFailoverProvider(tx, lcr.id);
    await logAction(tx, {
      action: 'lcr_provider_deleted',
      targetType: 'lcr',
      targetId: lcr.id,
      data: String(providerId),
      data2: failover,
    });
  });
}
