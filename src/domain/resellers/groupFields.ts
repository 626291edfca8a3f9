import * as v from 'valibot';
import { ACCOUNTANT_RIGHTS, RESELLER_RIGHTS } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

/** Permission groups live in acc_groups: Reseller permission groups and Accountant permission groups. */
export const GroupType = v.picklist(['reseller', 'accountant']);
export type GroupType = v.InferOutput<typeof GroupType>;

const level = (max: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max)));

const rights = <const K extends readonly string[]>(names: K, max: number) =>
  v.strictObject(
    Object.fromEntries(names.map((r) => [r, level(max)])) as { [P in K[number]]: ReturnType<typeof level> },
  );

/** Reseller group flags: 1 allowed, 0 not (reseller_group_create's six features). */
export const ResellerRights = rights(RESELLER_RIGHTS, 1);
/** Accountant rights: 0 none, 1 read, 2 write. */
export const AccountantRights = rights(ACCOUNTANT_RIGHTS, 2);

export const GroupName = v.pipe(v.string(), v.maxLength(255));
export const GroupDescription = v.optional(v.pipe(v.string(), v.maxLength(10_000)));

/** What the API shows of a group. */
export interface Group {
  id: number;
  name: string;
  groupType: GroupType;
  description: string;
  rights: Record<string, number>;
}

export const label = (type: GroupType) => (type === 'reseller' ? 'Reseller' : 'Accountant');

/** Permission groups belong to the admin: only the admin manages them. */
export function assertAdmin(actor: Account) {
  if (actor.usertype !== 'admin') throw forbidden('groups', 'You are not authorized to use this functionality');
}

/** Every right of the type, absent ones 0, so a group always says what it grants. */
export function fullRights(type: GroupType, rights: Record<string, number | undefined> = {}) {
  const names: readonly string[] = type === 'reseller' ? RESELLER_RIGHTS : ACCOUNTANT_RIGHTS;
  return Object.fromEntries(names.map((name) => [name, rights[name] ?? 0]));
}
