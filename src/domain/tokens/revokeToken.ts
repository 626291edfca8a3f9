import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { adminTokens } from '../../db/schema/settings.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { conflict, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { tokenScope } from './listTokens.ts';

export const RevokeToken = v.strictObject({ id: RowId });
export type RevokeToken = v.InferOutput<typeof RevokeToken>;

/**
 * Revokes a token in the caller's scope (the admin: any; others: their own). Another account's token
 * answers NOT_FOUND. The token is refused from its next call on, in every instance (AuthCache.token).
 */
export async function revokeToken(ctx: Ctx, input: RevokeToken): Promise<{ id: number; revokedAt: string }> {
  const revoked = await withTransaction(ctx, async (tx) => {
    const [token] = await tx.db
      .select({ id: adminTokens.id, userId: adminTokens.userId, revokedAt: adminTokens.revokedAt })
      .from(adminTokens)
      .where(and(eq(adminTokens.id, input.id), tokenScope(ctx.actor)))
      .for('update');
    if (!token) throw notFound('token', 'Token was not found');
    if (token.revokedAt) throw conflict('revoked', 'Token is already revoked');
    const revokedAt = tx.clock();
    await tx.db.update(adminTokens).set({ revokedAt }).where(eq(adminTokens.id, token.id));
    await logAction(tx, {
      action: 'token_revoked',
      targetType: 'admin_token',
      targetId: token.id,
      data: `user_id=${token.userId}`,
    });
    return { id: token.id, revokedAt: revokedAt.toISOString() };
  });
  // This instance forgets the token now; the others on the NOTIFY of drizzle/0033.
  ctx.invalidateAuth();
  return revoked;
}
