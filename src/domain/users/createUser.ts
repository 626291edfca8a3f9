import { and, eq } from 'drizzle-orm';
import * as v from 'valibot';
import { users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import { hasRight } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, forbidden, invalid } from '../errors.ts';
import { UserId } from '../ids.ts';
import { checkReferences } from './checkReferences.ts';
import { loadDefaultUser } from './defaultUser.ts';
import { ADMIN_ONLY_FIELDS, AssignableUsertype, UserFieldEntries } from './fields.ts';
import { addressValueTaken, lockUserIdentities, usernameTaken } from './identity.ts';
import { insertUser } from './insertUser.ts';
import { passwordColumns } from './password.ts';
import { invoiceBits, userColumns } from './writeFields.ts';

export const CreateUser = v.object({
  ...UserFieldEntries,
  usertype: v.optional(AssignableUsertype, 'user'),
  /** Owner of a simple user: 0 (admin) or a reseller; resellers and accountants belong to the admin. */
  ownerId: v.optional(UserId),
  username: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
});
export type CreateUser = v.InferInput<typeof CreateUser>;

export interface CreatedUser {
  id: number;
  username: string;
  usertype: string;
  ownerId: number;
  uniquehash: string;
}

/** The owner a new account gets, after the caller's rights: admin any; reseller itself; accountant 0. */
async function ownerFor(ctx: Ctx, usertype: string, ownerId: number | undefined): Promise<number> {
  const { actor } = ctx;
  if (actor.usertype === 'admin') {
    const owner = ownerId ?? 0;
    if (owner === 0) return 0;
    const [reseller] = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, owner), eq(users.usertype, 'reseller')));
    if (!reseller || usertype !== 'user') throw invalid('owner', 'Owner must be the admin or a reseller');
    return owner;
  }
  const mayCreate =
    usertype === 'user' &&
    ((actor.usertype === 'reseller' && (ownerId ?? actor.id) === actor.id) ||
      (actor.usertype === 'accountant' && hasRight(actor, 'users_create', 2) && (ownerId ?? 0) === 0));
  if (!mayCreate) throw forbidden('create_user', 'You are not authorized to create this user');
  return actor.usertype === 'reseller' ? actor.id : 0;
}

/**
 * Creates an account (users.create; resellers.create and accountants.create build on it): the owner's
 * Default User values, then the given fields. Password stored as PBKDF2 with its weak flag; a new
 * uniquehash; agreement date today; action-log row `user_created`.
 */
export async function createUser(ctx: Ctx, raw: CreateUser): Promise<CreatedUser> {
  const input = v.parse(CreateUser, raw);
  const { usertype, ownerId: requestedOwner, password, invoiceTypes, address, taxes, ...fields } = input;
  if (ctx.actor.usertype !== 'admin' && ADMIN_ONLY_FIELDS.some((f) => f !== 'usertype' && input[f] !== undefined)) {
    throw forbidden('create_user', 'You are not authorized to create this user');
  }
  // PBKDF2 is slow on purpose (~70 ms): hash before the transaction, not while holding the identity lock
  // that every user creation queues on.
  const passwordFields = await passwordColumns(input.username, password);
  return withTransaction(ctx, async (tx) => {
    const ownerId = await ownerFor(tx, usertype, requestedOwner);
    await checkReferences(tx, input, ownerId, usertype);
    await lockUserIdentities(tx);
    if (await usernameTaken(tx, input.username)) throw conflict('username', 'Such username is already taken');
    if (address?.email && (await addressValueTaken(tx, 'email', address.email))) {
      throw conflict('email', 'This email address is already in use');
    }
    const template = await loadDefaultUser(tx, ownerId, true);
    const user = await insertUser(
      tx,
      {
        ...template!.columns,
        ...userColumns(fields),
        ...passwordFields,
        ...(invoiceTypes ? { sendInvoiceTypes: invoiceBits(invoiceTypes).bits } : {}),
        username: input.username,
        usertype,
        ownerId,
        agreementDate: input.agreementDate ?? tx.clock().toISOString().slice(0, 10),
      },
      address,
      taxes,
    );
    await logAction(tx, { action: 'user_created', targetType: 'user', targetId: user.id, data: user.username });
    return { id: user.id, username: user.username, usertype: user.usertype, ownerId, uniquehash: user.uniquehash };
  });
}
