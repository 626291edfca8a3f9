import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { adminTokens } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';

export const ListTokens = v.optional(
  v.strictObject({
    /** Also list revoked tokens (default: active ones only). */
    includeRevoked: v.optional(v.boolean(), false),
  }),
  {},
);
export type ListTokens = v.InferOutput<typeof ListTokens>;

export interface TokenView {
  id: number;
  userId: number;
  username: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** The tokens an account may see and revoke: every token for the admin, its own for anyone else. */
export const tokenScope = (actor: Account): SQL | undefined =>
  actor.usertype === 'admin' ? undefined : eq(adminTokens.userId, actor.id);

/** Lists admin API tokens in the caller's scope; never the token or its hash. */
export async function listTokens(ctx: Ctx, input: ListTokens = { includeRevoked: false }): Promise<TokenView[]> {
  const rows = await ctx.db
    .select({
      id: adminTokens.id,
      userId: adminTokens.userId,
      username: users.username,
      name: adminTokens.name,
      createdAt: adminTokens.createdAt,
      revokedAt: adminTokens.revokedAt,
    })
    .from(adminTokens)
    .innerJoin(users, eq(users.id, adminTokens.userId))
    .where(and(tokenScope(ctx.actor), input.includeRevoked ? undefined : isNull(adminTokens.revokedAt)))
    .orderBy(asc(adminTokens.id));
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}
