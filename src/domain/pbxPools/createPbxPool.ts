import { asc, eq, or } from 'drizzle-orm';
import * as v from 'valibot';
import { pbxPools } from '../../db/schema/pbx.ts';
import { logAction } from '../actions/logAction.ts';
import type { Account } from '../auth/types.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, invalid } from '../errors.ts';

export const NOT_AUTHORISED = 'You are not authorised to use this functionality';
export const NEEDS_NAME = 'PbxPool must have name';
export const NAME_TAKEN = 'PbxPool name must be unique';

export const CreatePbxPool = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(255)),
  comment: v.optional(v.pipe(v.string(), v.maxLength(1000))),
});

/**
 * Who manages PBX pools: the admin, and a reseller whose permission group has PBX functions (its own
 * pools). A reseller without it, an accountant or a partner → `You are not authorised to use this
 * functionality`; a simple user → `Access Denied`.
 */
export function requirePbxManager(actor: Account): void {
  if (actor.usertype === 'admin') return;
  if (actor.usertype === 'reseller' && (actor.rights.pbx_functions ?? 0) >= 1) return;
  if (actor.usertype === 'user') throw forbidden('role', 'Access Denied');
  throw forbidden('pbx_functions', NOT_AUTHORISED);
}

const poolOwner = (actor: Account) => (actor.usertype === 'reseller' ? actor.id : 0);

/** pbx_pool_create: a named pool of the actor's realm; names are unique within a realm. */
export async function createPbxPool(ctx: Ctx, input: { name?: string; comment?: string }): Promise<{ id: number }> {
  requirePbxManager(ctx.actor);
  const name = (input.name ?? '').trim();
  if (name === '') throw invalid('name', NEEDS_NAME);
  if (name.length > 255) throw invalid('name', NEEDS_NAME);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(pbxPools)
      .values({ name, comment: input.comment ?? '', ownerId: poolOwner(tx.actor) })
      .onConflictDoNothing()
      .returning({ id: pbxPools.id });
    if (!row) throw conflict('name', NAME_TAKEN);
    await logAction(tx, { action: 'pbx_pool_created', targetType: 'pbx_pool', targetId: row.id, data: name });
    return { id: row.id };
  });
}

/** pbxPools.list: the actor's realm's pools (a reseller also sees the Global one, which serves every realm). */
export async function listPbxPools(ctx: Ctx) {
  requirePbxManager(ctx.actor);
  return ctx.db
    .select()
    .from(pbxPools)
    .where(or(eq(pbxPools.ownerId, poolOwner(ctx.actor)), eq(pbxPools.global, true)))
    .orderBy(asc(pbxPools.id));
}
