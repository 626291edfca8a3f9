import { count, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { users } from '../../db/schema/users.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, invalid } from '../errors.ts';
import { UserId } from '../ids.ts';
import { checkReferences, NOT_UPDATED } from './checkReferences.ts';
import { isUniqueViolation } from './dbErrors.ts';
import { ADMIN_ONLY_FIELDS, UserFieldEntries, type UserFields } from './fields.ts';
import { findVisibleUser, type UserRow } from './findUser.ts';
import { addressValueTaken, lockUserIdentities, usernameTaken } from './identity.ts';
import { IDENTITY_FIELDS, logChanges, userSnapshot } from './snapshot.ts';
import { writeUserFields } from './writeFields.ts';

export const UpdateUser = v.object({ userId: UserId, ...UserFieldEntries });
export type UpdateUser = v.InferOutput<typeof UpdateUser>;

/**
 * Who may edit whom (user_details_update): the admin anyone; an accountant the admin's users with
 * "Manage users" write; a reseller its own users (not itself). Simple users may not edit. Groups, user
 * type, responsible accountant and own providers are the admin's. Failure: FORBIDDEN 'edit'.
 */
export function assertMayEdit(actor: Account, target: UserRow, fields: UserFields) {
  const may =
    actor.usertype === 'admin' ||
    (actor.usertype === 'accountant' && hasRight(actor, 'users_manage', 2) && target.id !== 0) ||
    (actor.usertype === 'reseller' && target.ownerId === actor.id);
  const adminOnly = actor.usertype !== 'admin' && ADMIN_ONLY_FIELDS.some((f) => fields[f] !== undefined);
  if (!may || adminOnly) throw forbidden('edit', 'You have no editing permission');
}

/** A user type change must keep the ownership tree valid (the admin stays admin; resellers own users). */
async function checkUsertypeChange(ctx: Pick<Ctx, 'db'>, target: UserRow, next: string) {
  if (next === target.usertype) return;
  if (target.id === 0) throw invalid('usertype', NOT_UPDATED);
  if (next !== 'user' && target.ownerId !== 0) throw invalid('usertype', NOT_UPDATED);
  if (target.usertype === 'reseller') {
    const [row] = await ctx.db.select({ n: count() }).from(users).where(eq(users.ownerId, target.id));
    if ((row?.n ?? 0) > 0) throw invalid('usertype', NOT_UPDATED);
  }
}

/**
 * Changes only the fields sent (user_details_update, users.update, users.block). Validation failures
 * change nothing (one transaction). Writes one action-log row per changed field and drops cached
 * auth data when an identity column changed. Returns the names of the changed fields.
 */
export async function updateUser(ctx: Ctx, input: UpdateUser): Promise<{ id: number; changed: string[] }> {
  const { userId, ...fields } = input;
  const changed = await withTransaction(ctx, async (tx) => {
    const target = await findVisibleUser(tx, { userId }, true);
    assertMayEdit(ctx.actor, target, fields);
    const usertype = fields.usertype ?? target.usertype;
    await checkUsertypeChange(tx, target, usertype);
    // A user leaving the reseller/accountant types loses its permission group.
    if (usertype === 'user' && target.accGroupId !== null && fields.accGroupId === undefined) fields.accGroupId = null;
    await checkReferences(tx, fields, target.ownerId, usertype);
    if (fields.username !== undefined || fields.address?.email !== undefined) await lockUserIdentities(tx);
    if (fields.username !== undefined && (await usernameTaken(tx, fields.username, target.id))) {
      throw conflict('username', NOT_UPDATED);
    }
    if (fields.address?.email && (await addressValueTaken(tx, 'email', fields.address.email, target.id))) {
      throw conflict('email', NOT_UPDATED);
    }
    const before = await userSnapshot(tx, target.id);
    try {
      await writeUserFields(tx, target, fields);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('username', NOT_UPDATED);
      throw error;
    }
    return logChanges(tx, target.id, before, await userSnapshot(tx, target.id), fields.password !== undefined);
  });
  if (changed.some((field) => IDENTITY_FIELDS.includes(field))) ctx.invalidateAuth();
  return { id: userId, changed };
}
