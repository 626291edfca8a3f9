import { eq, sql } from 'drizzle-orm';
import { addresses, taxes, users } from '../../db/schema/users.ts';
import type { Ctx } from '../ctx.ts';
import { INVOICE_BITS, type UserFields } from './fields.ts';
import { passwordColumns } from './password.ts';

type UserInsert = typeof users.$inferInsert;
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>;

/** The users columns a patch sets directly (password, invoice types, address and taxes aside). */
export function userColumns(fields: UserFields): Partial<UserInsert> {
  const { password: _p, invoiceTypes: _i, address: _a, taxes: _t, ...direct } = fields;
  return defined(direct) as Partial<UserInsert>;
}

/** The bits a patch turns on and the mask of the bits it names (the others stay as they are). */
export function invoiceBits(types: NonNullable<UserFields['invoiceTypes']>) {
  let mask = 0;
  let bits = 0;
  for (const [name, bit] of Object.entries(INVOICE_BITS)) {
    const on = types[name as keyof typeof INVOICE_BITS];
    if (on === undefined) continue;
    mask |= bit;
    if (on) bits |= bit;
  }
  return { mask, bits };
}

/**
 * Writes a patch to an existing user: users columns, password (hash + weak flag), invoice bits, and
 * the address and taxes rows (created on first use). Call inside the operation's transaction.
 */
export async function writeUserFields(
  ctx: Pick<Ctx, 'db'>,
  user: { id: number; username: string; addressId: number | null; taxId: number | null },
  fields: UserFields,
) {
  const set: Record<string, unknown> = { ...userColumns(fields) };
  if (fields.password !== undefined) {
    Object.assign(set, await passwordColumns(fields.username ?? user.username, fields.password));
  }
  if (fields.invoiceTypes) {
    const { mask, bits } = invoiceBits(fields.invoiceTypes);
    set.sendInvoiceTypes = sql`((${users.sendInvoiceTypes} & ${~mask}) | ${bits})`;
  }
  const address = fields.address ? defined(fields.address) : {};
  if (Object.keys(address).length > 0) {
    if (user.addressId === null) {
      const [row] = await ctx.db.insert(addresses).values(address).returning({ id: addresses.id });
      set.addressId = row!.id;
    } else await ctx.db.update(addresses).set(address).where(eq(addresses.id, user.addressId));
  }
  const tax = fields.taxes ? defined(fields.taxes) : {};
  if (Object.keys(tax).length > 0) {
    if (user.taxId === null) {
      const [row] = await ctx.db.insert(taxes).values(tax).returning({ id: taxes.id });
      set.taxId = row!.id;
    } else await ctx.db.update(taxes).set(tax).where(eq(taxes.id, user.taxId));
  }
  if (Object.keys(set).length === 0) return;
  await ctx.db
    .update(users)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(users.id, user.id));
}
