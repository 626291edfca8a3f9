import * as v from 'valibot';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireDidManager, resolveProvider } from './didAccess.ts';
import { existingDids, insertDids, quickforwardsConflicts } from './insertDids.ts';

export const CreateDid = v.object({
  /** Optional for resellers (their default provider). */
  providerId: v.optional(RowId),
  did: v.string(),
  customSipHeader: v.optional(v.string()),
  comment: v.optional(v.string()),
  resellerComment: v.optional(v.string()),
});
export type CreateDid = v.InferOutput<typeof CreateDid>;

/** did_create: a new free DID on a provider of the caller's realm. */
export async function createDid(ctx: Ctx, input: CreateDid): Promise<{ id: number }> {
  requireDidManager(ctx.actor, 2);
  return withTransaction(ctx, async (tx) => {
    const providerId = await resolveProvider(tx, input.providerId);
    if (!/^\d+$/.test(input.did)) throw invalid('did', 'Invalid DID specified');
    if ((await existingDids(tx, [input.did])).size > 0) throw conflict('did_exists', 'DID already exists');
    if ((await quickforwardsConflicts(tx, [input.did])).size > 0) throw conflict('did_failed', 'DID creation failed');
    const [row] = await insertDids(tx, [
      {
        did: input.did,
        providerId,
        comment: input.comment ?? '',
        resellerComment: input.resellerComment ?? '',
        customSipHeader: input.customSipHeader ?? '',
      },
    ]);
    if (!row) throw conflict('did_exists', 'DID already exists');
    await logAction(tx, { action: 'did_created', targetType: 'did', targetId: row.id, data: row.did });
    return { id: row.id };
  });
}

export const CreateDidRange = v.object({
  providerId: v.optional(RowId),
  /** First and last number of the range, digits of equal length. */
  from: v.pipe(v.string(), v.regex(/^\d{1,20}$/)),
  to: v.pipe(v.string(), v.regex(/^\d{1,20}$/)),
});
export type CreateDidRange = v.InferOutput<typeof CreateDidRange>;
export const MAX_DID_RANGE = 10_000;

/**
 * Bulk creation for the admin API: every number from `from` to `to` that does not exist yet becomes a
 * free DID (numbers a reseller may not create are skipped too). One transaction.
 */
export async function createDidRange(ctx: Ctx, input: CreateDidRange) {
  requireDidManager(ctx.actor, 2);
  const first = BigInt(input.from);
  const last = BigInt(input.to);
  if (input.from.length !== input.to.length || last < first || last - first >= BigInt(MAX_DID_RANGE)) {
    throw invalid('did_range', `Invalid DID range (equal length, from <= to, at most ${MAX_DID_RANGE} numbers)`);
  }
  const numbers: string[] = [];
  for (let n = first; n <= last; n++) numbers.push(n.toString().padStart(input.from.length, '0'));
  return withTransaction(ctx, async (tx) => {
    const providerId = await resolveProvider(tx, input.providerId);
    const refused = await quickforwardsConflicts(tx, numbers);
    const created = await insertDids(
      tx,
      numbers.filter((n) => !refused.has(n)).map((did) => ({ did, providerId })),
    );
    if (created.length > 0) {
      await logAction(tx, {
        action: 'did_created',
        targetType: 'did',
        targetId: created[0]!.id,
        data: `${input.from}-${input.to}`,
        data2: String(created.length),
      });
    }
    return { created: created.length, skipped: numbers.length - created.length, ids: created.map((c) => c.id) };
  });
}
