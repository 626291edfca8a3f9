import { and, asc, eq, ne, type SQL, sql } from 'drizzle-orm';
import { addresses, users } from '../../db/schema/users.ts';
import { hasRight } from '../auth/rights.ts';
import { constantTimeEqual, verifyPassword } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { DomainError, forbidden } from '../errors.ts';

export interface UsersGetRow {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  /** System currency, 4 decimals. */
  balance: string;
  blocked: boolean;
  lcrId: number | null;
  tariffId: number | null;
  ownerId: number;
  usertype: string;
  hidden: boolean;
}

/** users_get's proof of identity: `p` (checked when sent) or `uniquehash`. */
export interface UsersGetProof {
  password?: string | undefined;
  uniquehash?: string | undefined;
}

const ACCESS_DENIED = 'Access Denied';
const NOT_AUTHORIZED = 'You are not authorized to view this page';

/**
 * users_get: the caller proves itself with its password or uniquehash (else Access Denied), then lists
 * the users in its reach, ordered by id: admin and accountants with the Users right (read or write)
 * every user but the admin row; a reseller its own users; a partner its resellers and their users.
 * Hidden users are listed too. Simple users and accountants without the right: not authorized.
 */
export async function usersGet(ctx: Ctx, proof: UsersGetProof): Promise<UsersGetRow[]> {
  const { actor } = ctx;
  const [me] = await ctx.db
    .select({ password: users.password, uniquehash: users.uniquehash })
    .from(users)
    .where(eq(users.id, actor.id));
  const proven =
    me !== undefined &&
    (proof.password !== undefined
      ? await verifyPassword(proof.password, me.password)
      : proof.uniquehash !== undefined &&
        proof.uniquehash !== '' &&
        constantTimeEqual(proof.uniquehash, me.uniquehash));
  if (!proven) throw new DomainError('UNAUTHENTICATED', 'users_get', ACCESS_DENIED);
  let reach: SQL;
  switch (actor.usertype) {
    case 'admin':
      reach = ne(users.id, 0);
      break;
    case 'accountant':
      if (!hasRight(actor, 'users_manage', 1)) throw forbidden('users_manage', NOT_AUTHORIZED);
      reach = ne(users.id, 0);
      break;
    case 'reseller':
      reach = eq(users.ownerId, actor.id);
      break;
    case 'partner':
      reach = sql`(${users.ownerId} = ${actor.id} or ${users.ownerId} in (select r.id from users r where r.owner_id = ${actor.id} and r.usertype = 'reseller'))`;
      break;
    default:
      throw forbidden('users_get', NOT_AUTHORIZED);
  }
  return ctx.db
    .select({
      id: users.id,
      username: users.username,
      firstName: sql<string>`coalesce(${addresses.firstName}, '')`,
      lastName: sql<string>`coalesce(${addresses.lastName}, '')`,
      balance: sql<string>`round(${users.balance}, 4)::text`,
      blocked: users.blocked,
      lcrId: users.lcrId,
      tariffId: users.tariffId,
      ownerId: users.ownerId,
      usertype: users.usertype,
      hidden: users.hidden,
    })
    .from(users)
    .leftJoin(addresses, eq(addresses.id, users.addressId))
    .where(and(reach))
    .orderBy(asc(users.id));
}
