import { eq } from 'drizzle-orm';
import { currencies } from '../../src/db/schema/currencies.ts';
import { devices } from '../../src/db/schema/devices.ts';
import { accGroups, apiPermissionGroups, conflines } from '../../src/db/schema/settings.ts';
import { type Usertype, users } from '../../src/db/schema/users.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { hashPassword, randomUniquehash } from '../../src/domain/crypto.ts';

let counter = 0;
const next = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

// PBKDF2 is deliberately slow: hash the common fixture password once per process.
let passwordHash: Promise<string> | undefined;
export const FIXTURE_PASSWORD = 'password123';
const fixtureHash = () => {
  passwordHash ??= hashPassword(FIXTURE_PASSWORD, 1000);
  return passwordHash;
};

export interface UserFixture {
  username?: string;
  password?: string;
  usertype?: Usertype;
  ownerId?: number;
  balance?: string;
  currencyId?: number;
  blocked?: boolean;
  accGroupId?: number | null;
  apiRestricted?: boolean;
  apiPermissionGroupId?: number | null;
}

/** Inserts a user row (fixture). Returns the row. */
export async function createUser(handle: DbHandle, input: UserFixture = {}) {
  const [row] = await handle.db
    .insert(users)
    .values({
      username: input.username ?? `user_${next()}`,
      password: input.password ? await hashPassword(input.password, 1000) : await fixtureHash(),
      usertype: input.usertype ?? 'user',
      ownerId: input.ownerId ?? 0,
      uniquehash: randomUniquehash(),
      balance: input.balance ?? '0',
      currencyId: input.currencyId ?? 1,
      blocked: input.blocked ?? false,
      accGroupId: input.accGroupId ?? null,
      apiRestricted: input.apiRestricted ?? false,
      apiPermissionGroupId: input.apiPermissionGroupId ?? null,
    })
    .returning();
  return row!;
}

/** A reseller with its own API enabled and key `key`. */
export async function createReseller(handle: DbHandle, key = 'reseller-secret', input: UserFixture = {}) {
  const reseller = await createUser(handle, { ...input, usertype: 'reseller' });
  await setConflines(handle, reseller.id, { allow_api: '1', api_secret_key: key });
  return reseller;
}

/** An accountant in a new permission group with `rights`. */
export async function createAccountant(handle: DbHandle, rights: Record<string, number> = {}) {
  const [group] = await handle.db
    .insert(accGroups)
    .values({ name: `acc_${next()}`, groupType: 'accountant', rights })
    .returning();
  return createUser(handle, { usertype: 'accountant', accGroupId: group!.id });
}

/** An API permission group with method → level. */
export async function createApiPermissionGroup(handle: DbHandle, levels: Record<string, number>) {
  const [group] = await handle.db
    .insert(apiPermissionGroups)
    .values({ name: `apg_${next()}`, levels })
    .returning();
  return group!;
}

export async function createDevice(
  handle: DbHandle,
  userId: number,
  input: { username?: string; secret?: string } = {},
) {
  const [row] = await handle.db
    .insert(devices)
    .values({ userId, username: input.username ?? `dev_${next()}`, secret: input.secret ?? `s_${next()}` })
    .returning();
  return row!;
}

export async function createCurrency(handle: DbHandle, name: string, exchangeRate: string, active = true) {
  const [row] = await handle.db.insert(currencies).values({ name, exchangeRate, active }).returning();
  return row!;
}

/** Upserts conflines of `ownerId` (0 = admin). */
export async function setConflines(handle: DbHandle, ownerId: number, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    await handle.db
      .insert(conflines)
      .values({ name, value, ownerId })
      .onConflictDoUpdate({ target: [conflines.ownerId, conflines.name], set: { value } });
  }
}

export async function getConfline(handle: DbHandle, ownerId: number, name: string) {
  const rows = await handle.db.select().from(conflines).where(eq(conflines.ownerId, ownerId));
  return rows.find((r) => r.name === name)?.value;
}
