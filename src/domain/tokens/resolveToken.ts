import { and, eq, isNull } from 'drizzle-orm';
import { accGroups, adminTokens } from '../../db/schema/settings.ts';
import { users } from '../../db/schema/users.ts';
import type { Db } from '../../db/types.ts';
import type { Account } from '../auth/types.ts';
import { sha256Hex } from '../crypto.ts';

/**
 * The account a bearer token acts as, or null when the token is unknown, revoked, or its account is
 * blocked or no longer an admin, reseller or accountant.
 */
export async function resolveToken(db: Db, token: string): Promise<Account | null> {
  if (!token) return null;
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      usertype: users.usertype,
      ownerId: users.ownerId,
      blocked: users.blocked,
      accGroupId: users.accGroupId,
      rights: accGroups.rights,
    })
    .from(adminTokens)
    .innerJoin(users, eq(users.id, adminTokens.userId))
    .leftJoin(accGroups, eq(accGroups.id, users.accGroupId))
    .where(and(eq(adminTokens.tokenHash, await sha256Hex(token)), isNull(adminTokens.revokedAt)))
    .limit(1);
  const row = rows[0];
  if (!row || row.blocked || !['admin', 'reseller', 'accountant'].includes(row.usertype)) return null;
  return {
    id: row.id,
    username: row.username,
    usertype: row.usertype,
    ownerId: row.ownerId,
    blocked: false,
    accGroupId: row.accGroupId,
    apiLevels: null,
    rights: row.rights ?? {},
  };
}
