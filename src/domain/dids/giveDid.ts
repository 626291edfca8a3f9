import { and, eq, inArray } from 'drizzle-orm';
import type { dids } from '../../db/schema/dids.ts';
import { users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { reachableUsers } from '../devices/reach.ts';
import { conflict, notFound } from '../errors.ts';
import type { Did } from './didAccess.ts';

type Set = Partial<typeof dids.$inferInsert>;

/**
 * did_user_id of did_details_update (_devices-model §4): hand a free DID to a reseller (admin and
 * accountants only), reserve it for a simple user within reach (and hand it to that user's reseller),
 * or `-1` make it free again (never an active DID). Only free DIDs can be given; giving a DID to
 * whom it already belongs changes nothing.
 */
export async function giveDid(ctx: Ctx, did: Did, target: string): Promise<Set> {
  const byReseller = ctx.actor.usertype === 'reseller';
  if (target === '-1') {
    if (did.status === 'active') {
      throw conflict('did_not_freed', 'DID was not freed. Only Terminated, Reserved or Closed DIDs can be freed');
    }
    const cleared: Set = { status: 'free', userId: 0, deviceId: 0, closedTill: null };
    return byReseller ? cleared : { ...cleared, dialplanId: 0, resellerId: 0 };
  }
  const types: ('user' | 'reseller')[] = byReseller ? ['user'] : ['user', 'reseller'];
  const [user] = /^\d{1,9}$/.test(target)
    ? await ctx.db
        .select({ id: users.id, usertype: users.usertype, ownerId: users.ownerId })
        .from(users)
        .where(and(eq(users.id, +target), inArray(users.usertype, types), reachableUsers(ctx.actor)))
    : [];
  if (!user) throw notFound('user', 'User was not found');
  if (user.usertype === 'reseller') {
    if (did.status === 'free' && did.resellerId === user.id) return {};
    if (did.status !== 'free') throw conflict('did_not_free', 'DID is not free');
    return { resellerId: user.id };
  }
  if (did.status === 'reserved' && did.userId === user.id) return {};
  if (did.status !== 'free') throw conflict('did_not_free', 'DID is not free');
  const [owner] = await ctx.db.select({ usertype: users.usertype }).from(users).where(eq(users.id, user.ownerId));
  return {
    status: 'reserved',
    userId: user.id,
    resellerId: user.ownerId !== 0 && owner?.usertype === 'reseller' ? user.ownerId : 0,
  };
}
