import { eq } from 'drizzle-orm';
import { addresses, taxes } from '../../db/schema/users.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { findVisibleUser } from './findUser.ts';

/**
 * One account with its address and taxes, as the caller may see it (ownership tree; accountants need
 * "Manage users" read). Never the password. The uniquehash is shown for admins and resellers (their
 * registration `id`); a simple user's is its balance-in-phone credential and stays hidden.
 */
export async function getUser(ctx: Ctx, userId: number) {
  const {
    password: _p,
    passwordWeak: _w,
    uniquehash,
    createdAt,
    updatedAt,
    ...user
  } = await findVisibleUser(ctx, {
    userId,
  });
  if (user.id !== ctx.actor.id && !hasRight(ctx.actor, 'users_manage', 1)) throw forbidden('users_manage');
  const [address] = user.addressId ? await ctx.db.select().from(addresses).where(eq(addresses.id, user.addressId)) : [];
  const [tax] = user.taxId ? await ctx.db.select().from(taxes).where(eq(taxes.id, user.taxId)) : [];
  return {
    ...user,
    uniquehash: user.usertype === 'admin' || user.usertype === 'reseller' ? uniquehash : null,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    address: address ?? null,
    taxes: tax ?? null,
  };
}
