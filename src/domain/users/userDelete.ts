import { and, eq, inArray, ne, or } from 'drizzle-orm';
import { calls } from '../../db/partitioned/calls.ts';
import { callerids } from '../../db/schema/clis.ts';
import { callflows, deviceRules, devices } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { invoices, subscriptions } from '../../db/schema/finance.ts';
import { phonebooks } from '../../db/schema/phonebooks.ts';
import { quickforwarddids } from '../../db/schema/quickforwards.ts';
import { users } from '../../db/schema/users.ts';
import { hasRight, visibleUsers } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { removeUserRow } from './removeUserRow.ts';

const NOT_AUTHORIZED = 'You are not authorized to view this page';

/**
 * user_delete: admin any user but itself; a reseller its own users; an accountant the admin's users with
 * "Manage users" write. Out of reach, the admin account and the caller itself answer like a missing
 * user. Refused while the user has DIDs, calls, invoices (MOR's order), or owns users. Deletes the user
 * with what belongs only to it (devices with their CLIs and call flows, subscriptions, phonebooks,
 * Quickforwards DIDs, address, taxes, sessions, settings); payments, the ledger and charges stay.
 */
export async function userDelete(ctx: Ctx, userId: number): Promise<void> {
  const { actor } = ctx;
  const may =
    actor.usertype === 'admin' ||
    actor.usertype === 'reseller' ||
    (actor.usertype === 'accountant' && hasRight(actor, 'users_manage', 2));
  if (!may) throw forbidden('user_delete', NOT_AUTHORIZED);
  await withTransaction(ctx, async (tx) => {
    const [user] = await tx.db
      .select()
      .from(users)
      .where(and(eq(users.id, userId), visibleUsers(actor), ne(users.id, 0), ne(users.id, actor.id)))
      .for('update');
    if (!user) throw notFound('user');
    const own = tx.db.select({ id: devices.id }).from(devices).where(eq(devices.userId, user.id));
    const has = async (query: Promise<unknown[]>) => (await query).length > 0;
    const didRows = tx.db
      .select({ id: dids.id })
      .from(dids)
      .where(or(eq(dids.userId, user.id), inArray(dids.deviceId, own)))
      .limit(1);
    if (await has(didRows)) throw conflict('dids', 'Cannot delete user - it has DIDs');
    if (await has(tx.db.select({ id: calls.id }).from(calls).where(eq(calls.userId, user.id)).limit(1))) {
      throw conflict('calls', 'Cannot delete user - he has some calls');
    }
    if (await has(tx.db.select({ id: invoices.id }).from(invoices).where(eq(invoices.userId, user.id)).limit(1))) {
      throw conflict('invoices', 'Cannot delete User - he has Invoicess');
    }
    if (await has(tx.db.select({ id: users.id }).from(users).where(eq(users.ownerId, user.id)).limit(1))) {
      throw conflict('users', 'Cannot delete user - he has some users');
    }
    await tx.db.delete(callerids).where(inArray(callerids.deviceId, own));
    await tx.db.delete(callflows).where(inArray(callflows.deviceId, own));
    await tx.db.delete(deviceRules).where(inArray(deviceRules.deviceId, own));
    await tx.db.delete(devices).where(eq(devices.userId, user.id));
    await tx.db.delete(subscriptions).where(eq(subscriptions.userId, user.id));
    await tx.db.delete(phonebooks).where(eq(phonebooks.userId, user.id));
    await tx.db.delete(quickforwarddids).where(eq(quickforwarddids.userId, user.id));
    await removeUserRow(tx, user);
  });
  ctx.invalidateAuth();
}
