import { eq } from 'drizzle-orm';
import { addresses, taxes, users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';

/** Columns never written to the action log, or not worth a row. */
const SKIP = new Set(['password', 'passwordWeak', 'updatedAt', 'createdAt', 'addressId', 'taxId']);

/** A user with its address and taxes as one flat field → text map (for old/new comparisons). */
export async function userSnapshot(ctx: Pick<Ctx, 'db'>, userId: number): Promise<Record<string, string>> {
  const [row] = await ctx.db
    .select({ user: users, address: addresses, taxes })
    .from(users)
    .leftJoin(addresses, eq(addresses.id, users.addressId))
    .leftJoin(taxes, eq(taxes.id, users.taxId))
    .where(eq(users.id, userId));
  const out: Record<string, string> = {};
  if (!row) return out;
  const put = (prefix: string, o: Record<string, unknown> | null) => {
    for (const [key, value] of Object.entries(o ?? {})) {
      if (!SKIP.has(key) && !(prefix && key === 'id')) out[`${prefix}${key}`] = value === null ? '' : String(value);
    }
  };
  put('', row.user);
  put('address.', row.address);
  put('taxes.', row.taxes);
  return out;
}

/** One action-log row per changed field (old → new); a password change is logged without values. */
export async function logChanges(
  ctx: Ctx,
  userId: number,
  before: Record<string, string>,
  after: Record<string, string>,
  passwordChanged: boolean,
): Promise<string[]> {
  const changed = Object.keys(after).filter((key) => before[key] !== after[key]);
  for (const key of changed) {
    await logAction(ctx, {
      action: 'user_updated',
      targetType: 'user',
      targetId: userId,
      data: `${key}=${before[key] ?? ''}`,
      data2: `${key}=${after[key]}`,
    });
  }
  if (passwordChanged) {
    await logAction(ctx, { action: 'user_updated', targetType: 'user', targetId: userId, data: 'password=********' });
    changed.push('password');
  }
  return changed;
}

/** Columns the auth cache keys on (architecture.md "Auth cache"). */
export const IDENTITY_FIELDS = ['username', 'usertype', 'ownerId', 'blocked', 'uniquehash', 'accGroupId'];
