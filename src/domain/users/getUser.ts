import { eq } from 'drizzle-orm';
import { addresses, taxes } from '../../db/schema/users.ts';
import { hasRight, seesMoney } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { findVisibleUser } from './findUser.ts';

/** The money columns of a user, as an accountant without "See financial data" reads them. */
const HIDDEN_MONEY = {
  balance: null,
  credit: null,
  dailyCreditLimit: null,
  minimalCharge: null,
  maxCallRate: null,
  frozenBalance: null,
  warningEmailBalance: null,
} as const;

/**
 * One account with its address and taxes, as the caller may see it (ownership tree; accountants need
 * "Manage users" read). Never the password. The uniquehash is shown for admins and resellers (their
 * registration `id`); a simple user's is its balance-in-phone credential and stays hidden. Money
 * columns are null for a caller without "See financial data".
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
    ...(seesMoney(ctx.actor) ? {} : HIDDEN_MONEY),
    uniquehash: user.usertype === 'admin' || user.usertype === 'reseller' ? uniquehash : null,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    address: address ?? null,
    taxes: tax ?? null,
  };
}
