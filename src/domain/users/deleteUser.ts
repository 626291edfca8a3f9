import { count, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { users } from '../../db/schema/users.ts';
import { hasRight } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden } from '../errors.ts';
import { RowId } from '../ids.ts';
import { USER_DEPENDENTS } from './dependents.ts';
import { findVisibleUser } from './findUser.ts';
import { removeUserRow } from './removeUserRow.ts';

export const DeleteUser = v.object({
  userId: RowId,
  /** Also delete what hangs off the user (devices today); never billing history. */
  force: v.optional(v.boolean(), false),
});
export type DeleteUser = v.InferInput<typeof DeleteUser>;

/**
 * Deletes an account the caller manages (admin: anyone but itself; reseller: its own users;
 * accountant: the admin's users with "Manage users" write). Refused while the user has dependents
 * (USER_DEPENDENTS) unless `force`, and always while a reseller still owns users. Its address, taxes,
 * sessions, tokens, own settings go with it; accounts it was responsible accountant for are unassigned.
 */
export async function deleteUser(ctx: Ctx, raw: DeleteUser): Promise<{ id: number; removed: Record<string, number> }> {
  const { userId, force } = v.parse(DeleteUser, raw);
  const { actor } = ctx;
  const removed = await withTransaction(ctx, async (tx) => {
    const user = await findVisibleUser(tx, { userId }, true);
    const may =
      user.id !== actor.id &&
      (actor.usertype === 'admin' ||
        (actor.usertype === 'reseller' && user.ownerId === actor.id) ||
        (actor.usertype === 'accountant' && hasRight(actor, 'users_manage', 2)));
    if (!may) throw forbidden('delete_user', 'You have no editing permission');
    const [owned] = await tx.db.select({ n: count() }).from(users).where(eq(users.ownerId, user.id));
    if ((owned?.n ?? 0) > 0) throw conflict('has_users', 'Reseller still owns users');
    const found: Record<string, number> = {};
    for (const dependent of USER_DEPENDENTS) {
      const n = await dependent.count(tx, user.id);
      if (n === 0) continue;
      if (!force || !dependent.remove) throw conflict(`has_${dependent.name}`, `User has ${dependent.name}`);
      found[dependent.name] = n;
    }
    for (const dependent of USER_DEPENDENTS) if (found[dependent.name]) await dependent.remove!(tx, user.id);
    await removeUserRow(tx, user, JSON.stringify(found));
    return found;
  });
  ctx.invalidateAuth();
  return { id: userId, removed };
}
