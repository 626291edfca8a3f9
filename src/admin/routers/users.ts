import * as v from 'valibot';
import { UserId } from '../../domain/ids.ts';
import { ChangeBalance, changeBalance } from '../../domain/users/changeBalance.ts';
import { CreateUser, createUser } from '../../domain/users/createUser.ts';
import { DeleteUser, deleteUser } from '../../domain/users/deleteUser.ts';
import { getUser } from '../../domain/users/getUser.ts';
import { ListUsers, listUsers } from '../../domain/users/listUsers.ts';
import { UpdateUser, updateUser } from '../../domain/users/updateUser.ts';
import { idempotent, withKey } from '../idempotent.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const ByUserId = v.object({ userId: UserId });

/** SETTINGS → Users, scoped by the ownership tree (the same domain functions as the XML API). */
export const usersRouter = router({
  /** Filters: usertype, ownerId, search (username, names, e-mail), blocked; paging with the total. */
  list: authed.input(strict(v.optional(ListUsers, {}))).query(({ ctx, input }) => listUsers(ctx.ctx, input)),
  /** One account with address and taxes; the uniquehash of admins and resellers. */
  get: authed.input(idAs(ByUserId, 'userId')).query(({ ctx, input }) => getUser(ctx.ctx, input.userId)),
  create: authed.input(strict(CreateUser)).mutation(({ ctx, input }) => createUser(ctx.ctx, input)),
  /** Changes only the fields sent. */
  update: authed.input(idAs(UpdateUser, 'userId')).mutation(({ ctx, input }) => updateUser(ctx.ctx, input)),
  block: authed
    .input(idAs(v.object({ ...ByUserId.entries, blocked: v.boolean() }), 'userId'))
    .mutation(({ ctx, input }) => updateUser(ctx.ctx, { userId: input.userId, blocked: input.blocked })),
  /** Refused while the user has devices (or, later, calls and payments) unless `force`. */
  delete: authed.input(idAs(DeleteUser, 'userId')).mutation(({ ctx, input }) => deleteUser(ctx.ctx, input)),
  /** Adds `amount` (decimal string, may be negative); answers the new balance. Idempotent with a key. */
  changeBalance: authed
    .input(idAs(withKey(ChangeBalance), 'userId'))
    .mutation(idempotent('users.changeBalance', changeBalance)),
});
