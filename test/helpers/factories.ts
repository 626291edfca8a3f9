import { eq, sql } from 'drizzle-orm';
import { cardgroups, cards } from '../../src/db/schema/cards.ts';
import { callerids } from '../../src/db/schema/clis.ts';
import { currencies } from '../../src/db/schema/currencies.ts';
import { devices } from '../../src/db/schema/devices.ts';
import { dialplans, dids, providers } from '../../src/db/schema/dids.ts';
import { lcrs } from '../../src/db/schema/lcrs.ts';
import { phonebooks } from '../../src/db/schema/phonebooks.ts';
import { quickforwardsRules } from '../../src/db/schema/quickforwards.ts';
import {
  acustratedetails,
  aratedetails,
  customrates,
  destinationgroups,
  destinations,
  ratedetails,
  rates,
  type TariffPurpose,
  tariffs,
} from '../../src/db/schema/rating.ts';
import { accGroups, apiPermissionGroups, conflines } from '../../src/db/schema/settings.ts';
import { locations } from '../../src/db/schema/stubs.ts';
import { addresses, taxes, type Usertype, users } from '../../src/db/schema/users.ts';
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

// ---- rating ----

export async function createTariff(
  handle: DbHandle,
  input: { name?: string; purpose?: TariffPurpose; ownerId?: number; currency?: string } = {},
) {
  const [row] = await handle.db
    .insert(tariffs)
    .values({
      name: input.name ?? `tariff_${next()}`,
      purpose: input.purpose ?? 'user_wholesale',
      ownerId: input.ownerId ?? 0,
      currency: input.currency ?? 'USD',
    })
    .returning();
  return row!;
}

export async function setUserTariff(handle: DbHandle, userId: number, tariffId: number | null) {
  await handle.db.update(users).set({ tariffId }).where(eq(users.id, userId));
}

export async function createDestinationGroup(handle: DbHandle, name: string, desttype = '') {
  const [row] = await handle.db.insert(destinationgroups).values({ name, desttype }).returning();
  return row!;
}

/** A destination (prefix unique); returns the existing row when the prefix is taken. */
export async function createDestination(
  handle: DbHandle,
  input: { prefix: string; name?: string; directionCode?: string; subcode?: string; groupId?: number },
) {
  const [row] = await handle.db
    .insert(destinations)
    .values({
      prefix: input.prefix,
      name: input.name ?? `Dest ${input.prefix}`,
      directionCode: input.directionCode ?? '',
      subcode: input.subcode ?? '',
      destinationgroupId: input.groupId ?? 0,
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [existing] = await handle.db.select().from(destinations).where(eq(destinations.prefix, input.prefix));
  return existing!;
}

export interface BandFixture {
  price: string;
  connectionFee?: string;
  increment?: number;
  minTime?: number;
  daytype?: '' | 'WD' | 'FD';
  startTime?: string;
  endTime?: string;
}

/** A wholesale rate with one all-day band (or `bands`); creates the destination when missing. */
export async function createWholesaleRate(
  handle: DbHandle,
  tariffId: number,
  input: BandFixture & { prefix: string; name?: string; effectiveFrom?: Date | null; bands?: BandFixture[] },
) {
  const destination = await createDestination(handle, { prefix: input.prefix, name: input.name });
  const [rate] = await handle.db
    .insert(rates)
    .values({
      tariffId,
      prefix: input.prefix,
      destinationId: destination.id,
      effectiveFrom: input.effectiveFrom ?? null,
    })
    .returning();
  for (const b of input.bands ?? [input]) {
    await handle.db.insert(ratedetails).values({
      rateId: rate!.id,
      rate: b.price,
      connectionFee: b.connectionFee ?? '0',
      incrementS: b.increment ?? 1,
      minTime: b.minTime ?? 0,
      daytype: b.daytype ?? '',
      startTime: b.startTime ?? '00:00:00',
      endTime: b.endTime ?? '23:59:59',
    });
  }
  return rate!;
}

export interface AdvancedBandFixture {
  price: string;
  from?: number;
  duration?: number;
  artype?: 'minute' | 'event';
  round?: number;
  daytype?: '' | 'WD' | 'FD';
  startTime?: string;
  endTime?: string;
}

const advancedRow = (b: AdvancedBandFixture) => ({
  price: b.price,
  from: b.from ?? 1,
  duration: b.duration ?? -1,
  artype: b.artype ?? ('minute' as const),
  round: b.round ?? 1,
  daytype: b.daytype ?? ('' as const),
  startTime: b.startTime ?? '00:00:00',
  endTime: b.endTime ?? '23:59:59',
});

/** A retail rate of `tariffId` for a destination group, with its intervals. */
export async function createRetailRate(
  handle: DbHandle,
  tariffId: number,
  groupId: number,
  bands: AdvancedBandFixture[],
) {
  const [rate] = await handle.db.insert(rates).values({ tariffId, destinationgroupId: groupId }).returning();
  for (const b of bands) await handle.db.insert(aratedetails).values({ rateId: rate!.id, ...advancedRow(b) });
  return rate!;
}

/** A user's custom rate for a destination group, with its intervals. */
export async function createCustomRate(
  handle: DbHandle,
  userId: number,
  groupId: number,
  bands: AdvancedBandFixture[],
) {
  const [rate] = await handle.db.insert(customrates).values({ userId, destinationgroupId: groupId }).returning();
  for (const b of bands) {
    await handle.db.insert(acustratedetails).values({ customrateId: rate!.id, ...advancedRow(b) });
  }
  return rate!;
}

// ---- devices family: devices, CLIs, DIDs, dial plans, quickforwards, phonebooks ----

/** A device with any columns (defaults: SIP, dynamic, username = name = extension). */
export async function insertDevice(
  handle: DbHandle,
  userId: number,
  values: Partial<typeof devices.$inferInsert> = {},
) {
  const ext = values.extension ?? `9${(++counter).toString().padStart(5, '0')}`;
  const [row] = await handle.db
    .insert(devices)
    .values({ userId, extension: ext, name: ext, username: ext, secret: `Secret-${next()}`, ...values })
    .returning();
  // An explicit id does not move the identity sequence: keep later inserts from colliding with it.
  if (values.id !== undefined) {
    await handle.db.execute(sql`select setval(pg_get_serial_sequence('devices', 'id'), (select max(id) from devices))`);
  }
  return row!;
}

/** A reseller whose reseller permission group has `rights` (e.g. { pbx_functions: 1 }). */
export async function createResellerWithRights(
  handle: DbHandle,
  rights: Record<string, number>,
  key = 'reseller-secret',
) {
  const [group] = await handle.db
    .insert(accGroups)
    .values({ name: `rg_${next()}`, groupType: 'reseller', rights })
    .returning();
  return createReseller(handle, key, { accGroupId: group!.id });
}

export async function createProvider(
  handle: DbHandle,
  ownerId = 0,
  input: { name?: string; isDefault?: boolean } = {},
) {
  const [row] = await handle.db
    .insert(providers)
    .values({ name: input.name ?? `prov_${next()}`, ownerId, isDefault: input.isDefault ?? false })
    .returning();
  return row!;
}

export async function insertDid(handle: DbHandle, values: Partial<typeof dids.$inferInsert> & { did: string }) {
  const [row] = await handle.db.insert(dids).values(values).returning();
  return row!;
}

export async function createDialplan(handle: DbHandle, values: Partial<typeof dialplans.$inferInsert> = {}) {
  const [row] = await handle.db
    .insert(dialplans)
    .values({ name: `dp_${next()}`, dptype: 'quickforwarddids', ...values })
    .returning();
  return row!;
}

export async function insertCli(
  handle: DbHandle,
  deviceId: number,
  values: Partial<typeof callerids.$inferInsert> = {},
) {
  const [row] = await handle.db
    .insert(callerids)
    .values({ deviceId, ...values })
    .returning();
  return row!;
}

/** A Quickforwards rule, assigned to `userIds`. */
export async function createQuickforwardsRule(handle: DbHandle, ownerId: number, rule: string, userIds: number[] = []) {
  const [row] = await handle.db
    .insert(quickforwardsRules)
    .values({ name: `qf_${next()}`, ownerId, rule })
    .returning();
  for (const id of userIds) await handle.db.update(users).set({ quickforwardsRuleId: row!.id }).where(eq(users.id, id));
  return row!;
}

export async function insertPhonebook(
  handle: DbHandle,
  userId: number,
  values: { name: string; number: string; speeddial: string },
) {
  const [row] = await handle.db
    .insert(phonebooks)
    .values({ userId, ...values })
    .returning();
  return row!;
}

/** Gives a user a first and last name (nice user). */
export async function nameUser(handle: DbHandle, userId: number, firstName: string, lastName: string) {
  const [address] = await handle.db.insert(addresses).values({ firstName, lastName }).returning();
  await handle.db.update(users).set({ addressId: address!.id }).where(eq(users.id, userId));
}

// ---- calling cards ----

export async function createLcr(handle: DbHandle, ownerId = 0, name = `lcr_${next()}`) {
  const [row] = await handle.db.insert(lcrs).values({ name, ownerId }).returning();
  return row!;
}

export async function createLocation(handle: DbHandle, ownerId = 0, name = `loc_${next()}`) {
  const [row] = await handle.db.insert(locations).values({ name, ownerId }).returning();
  return row!;
}

export async function createTax(handle: DbHandle, values: Partial<typeof taxes.$inferInsert> = {}) {
  const [row] = await handle.db.insert(taxes).values(values).returning();
  return row!;
}

/** A card group (fixture; defaults: admin's, price 0, number length 10, PIN length 6). */
export async function createCardGroup(handle: DbHandle, values: Partial<typeof cardgroups.$inferInsert> = {}) {
  const [row] = await handle.db
    .insert(cardgroups)
    .values({ name: `cg_${next()}`, ...values })
    .returning();
  return row!;
}

/** A card of `group` with the given number and PIN (fixture). */
export async function insertCard(
  handle: DbHandle,
  group: { id: number; ownerId: number },
  values: Partial<typeof cards.$inferInsert> & { number: string; pin: string },
) {
  const [row] = await handle.db
    .insert(cards)
    .values({ cardgroupId: group.id, ownerId: group.ownerId, ...values })
    .returning();
  return row!;
}
