import { and, eq, sql } from 'drizzle-orm';
import { phonebooks } from '../../db/schema/phonebooks.ts';
import { users } from '../../db/schema/users.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { isId, reachableUsers } from '../devices/reach.ts';
import { forbidden, notFound } from '../errors.ts';

/**
 * Phonebooks belong to users: admin any user, reseller itself and its users, an accountant as the
 * admin with the Users right (`level`), a simple user itself. Anyone else → `Access Denied`.
 */
export function requirePhonebookAccess(ctx: Ctx, level: 1 | 2) {
  const { actor } = ctx;
  if (
    !['admin', 'accountant', 'reseller', 'user'].includes(actor.usertype) ||
    !hasRight(actor, 'users_manage', level)
  ) {
    throw forbidden('role', 'Access Denied');
  }
}

/** A user within reach (the admin itself included for admin and accountants), else `User was not found`. */
export async function phonebookOwner(ctx: Ctx, userId: number | undefined) {
  const [user] = isId(userId)
    ? await ctx.db
        .select({ id: users.id, usertype: users.usertype })
        .from(users)
        .where(and(eq(users.id, userId), reachableUsers(ctx.actor)))
    : [];
  if (!user) throw notFound('user', 'User was not found');
  return user;
}

export const DIGITS = /^\d+$/;

/**
 * Rules of a record (_devices-model §6), in the documented order; returns every failed rule's
 * message. The speed dial is unique among the owner's records; a Global (admin) record's code also
 * may not equal any user's.
 */
export async function recordProblems(
  ctx: Ctx,
  record: { userId: number; name: string; number: string; speeddial: string },
  exceptId = 0,
): Promise<string[]> {
  const problems: string[] = [];
  if (record.name.trim() === '') problems.push('Speed Dial name must be provided');
  if (record.number === '') problems.push('Record number should have at least one digit');
  if (record.speeddial.length < 2) problems.push('Speed Dial should have at least two digits');
  if (record.number !== '' && !DIGITS.test(record.number)) problems.push('Record number must be numeric');
  if (record.speeddial !== '' && !DIGITS.test(record.speeddial)) problems.push('Speed Dial must be numeric');
  if (problems.length === 0) {
    // Speed dials have no unique index (a Global record's must differ from everyone's): writers wait
    // for each other until commit, so this check holds until the write. Call it in that transaction.
    await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor.phonebooks.speeddial'))`);
    const same = await ctx.db
      .select({ id: phonebooks.id })
      .from(phonebooks)
      .where(
        and(
          eq(phonebooks.speeddial, record.speeddial),
          record.userId === 0 ? undefined : eq(phonebooks.userId, record.userId),
        ),
      );
    if (same.some((r) => r.id !== exceptId)) problems.push('Speed dial must be unique');
  }
  return problems;
}
