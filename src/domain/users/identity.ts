import { and, eq, ne, type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { addresses, users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { Username } from './fields.ts';

/**
 * Serialises writers of unique-by-rule user values (e-mail, phones; usernames also have an index) for
 * the rest of the transaction, so two concurrent sign-ups cannot both pass the "already in use" check.
 */
export async function lockUserIdentities(ctx: Pick<Ctx, 'db'>) {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor_user_identity'))`);
}

/** `raw` under the username rule: the trimmed name, or null when it breaks the rule. */
export function usernameOf(raw: string | undefined): string | null {
  const result = v.safeParse(Username, raw ?? '');
  return result.success ? result.output : null;
}

/** True when another account already has this username, compared without case (`Admin` is `admin`). */
export async function usernameTaken(ctx: Pick<Ctx, 'db'>, username: string, exceptId?: number) {
  const where: SQL[] = [sql`lower(${users.username}) = lower(${username})`];
  if (exceptId !== undefined) where.push(ne(users.id, exceptId));
  return (
    (
      await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(and(...where))
        .limit(1)
    ).length > 0
  );
}

/** True when another user's address already has this value (e-mail compared without case). */
export async function addressValueTaken(
  ctx: Pick<Ctx, 'db'>,
  field: 'email' | 'phone' | 'mobPhone' | 'fax',
  value: string,
  exceptUserId?: number,
) {
  if (value === '') return false;
  const column = addresses[field];
  const match = field === 'email' ? sql`lower(${column}) = lower(${value})` : eq(column, value);
  const where: SQL[] = [match];
  if (exceptUserId !== undefined) where.push(ne(users.id, exceptUserId));
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .innerJoin(addresses, eq(addresses.id, users.addressId))
    .where(and(...where))
    .limit(1);
  return rows.length > 0;
}
