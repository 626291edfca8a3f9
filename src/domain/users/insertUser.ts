import { addresses, taxes, users } from '../../db/schema/users.ts';
import { randomUniquehash } from '../crypto.ts';
import type { Ctx } from '../ctx.ts';
import { conflict } from '../errors.ts';
import { isUniqueViolation } from './dbErrors.ts';
import type { UserFields } from './fields.ts';

type UserInsert = Omit<typeof users.$inferInsert, 'uniquehash'>;

/**
 * Inserts a user with its address and taxes rows and a fresh uniquehash (every account gets one:
 * registration links, user_register `id`, balance-in-phone). A username taken meanwhile is CONFLICT.
 * Call inside the operation's transaction.
 */
export async function insertUser(
  ctx: Pick<Ctx, 'db'>,
  row: UserInsert,
  address?: UserFields['address'],
  tax?: UserFields['taxes'],
) {
  let addressId: number | null = null;
  let taxId: number | null = null;
  if (address && Object.values(address).some((value) => value !== undefined)) {
    const [a] = await ctx.db.insert(addresses).values(address).returning({ id: addresses.id });
    addressId = a!.id;
  }
  if (tax && Object.values(tax).some((value) => value !== undefined)) {
    const [t] = await ctx.db.insert(taxes).values(tax).returning({ id: taxes.id });
    taxId = t!.id;
  }
  try {
    const [user] = await ctx.db
      .insert(users)
      .values({ ...row, addressId, taxId, uniquehash: randomUniquehash() })
      .returning();
    return user!;
  } catch (error) {
    // 36^10 uniquehashes make a clash practically impossible; a username clash is a real race.
    if (isUniqueViolation(error)) throw conflict('username', 'Such username is already taken');
    throw error;
  }
}
