import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { adminTokens } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { randomSecret, sha256Hex } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { withTransaction } from '../ctx.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { UserId } from '../ids.ts';

export const IssueToken = v.strictObject({
  /** Account the token acts as; default the caller. */
  userId: v.optional(UserId),
  /** A label to recognise the token by (e.g. the tool that uses it). */
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100)), ''),
});
export type IssueToken = v.InferOutput<typeof IssueToken>;

export interface IssuedToken {
  id: number;
  userId: number;
  name: string;
  /** The bearer token itself: shown this once, only its SHA-256 is stored. */
  token: string;
  createdAt: string;
}

/** Account types that may hold an admin API token. */
export const TOKEN_HOLDERS = ['admin', 'reseller', 'accountant'] as const;

/**
 * Issues a bearer token for the tRPC admin API. The admin may issue one for itself or any admin,
 * reseller or accountant; a reseller or an accountant only for itself.
 */
export async function issueToken(ctx: Ctx, input: IssueToken): Promise<IssuedToken> {
  const { actor } = ctx;
  const userId = input.userId ?? actor.id;
  if (actor.usertype !== 'admin' && userId !== actor.id) {
    throw forbidden('tokens', 'A reseller or accountant may only issue tokens for itself');
  }
  if (!(TOKEN_HOLDERS as readonly string[]).includes(actor.usertype)) throw forbidden('tokens');
  return withTransaction(ctx, async (tx) => {
    const [target] = await tx.db
      .select({ usertype: users.usertype, blocked: users.blocked })
      .from(users)
      .where(eq(users.id, userId));
    if (!target) throw notFound('user', 'User was not found');
    if (!(TOKEN_HOLDERS as readonly string[]).includes(target.usertype)) {
      throw invalid('token_holder', 'Tokens are only for admin, reseller and accountant accounts');
    }
    if (target.blocked) throw invalid('blocked', 'User is blocked');
    const token = `mor_${randomSecret(40)}`;
    const [row] = await tx.db
      .insert(adminTokens)
      .values({ userId, name: input.name, tokenHash: await sha256Hex(token) })
      .returning({ id: adminTokens.id, createdAt: adminTokens.createdAt });
    await logAction(tx, {
      action: 'token_issued',
      targetType: 'admin_token',
      targetId: row!.id,
      data: `user_id=${userId}`,
      data2: input.name,
    });
    return { id: row!.id, userId, name: input.name, token, createdAt: row!.createdAt.toISOString() };
  });
}
