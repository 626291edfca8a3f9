import { and, eq, inArray } from 'drizzle-orm';
import { directions, locations } from '../../db/schema/index.ts';
import type { Ctx } from '../ctx.ts';
import { conflict, DomainError, invalid } from '../errors.ts';
import { lcrInRealm } from './checkReferences.ts';
import type { DefaultUser } from './defaultUser.ts';
import { addressValueTaken, usernameOf, usernameTaken } from './identity.ts';

/** user_register's parameters, as sent (strings; absent = undefined). */
export interface RegisterInput {
  /** The owner's uniquehash (`id`); absent → the admin ("user will end up at admin account"). */
  ownerUniquehash?: string;
  email?: string;
  lcrId?: string;
  deviceType?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  callerId?: string;
  state?: string;
  deviceLocationId?: string;
  password?: string;
  password2?: string;
  countryId?: string;
  mobPhone?: string;
  phone?: string;
  fax?: string;
  clientId?: string;
  vatNumber?: string;
  county?: string;
  city?: string;
  postcode?: string;
  address?: string;
}

/** Device types sign-up may create, in MOR's spelling. */
const DEVICE_TYPES = ['SIP', 'IAX2', 'Virtual'];
export const DONT_BE_SO_SMART = 'Dont be so smart';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const fail = (detail: string, message: string) => invalid(detail, message);
/** Longest value of a name, e-mail or other address field (as users.create's address fields). */
const TEXT_MAX = 255;
const tooLong = (value: string | undefined) => (value?.length ?? 0) > TEXT_MAX;
/** Free-text fields with no error string of their own: an over-long one is refused as a manipulation. */
const OTHER_TEXT = [
  'phone',
  'mobPhone',
  'fax',
  'callerId',
  'state',
  'clientId',
  'vatNumber',
  'county',
  'city',
  'postcode',
  'address',
] as const satisfies readonly (keyof RegisterInput)[];

/**
 * Validates a sign-up in MOR's GUI order and returns the first failure (INVALID/CONFLICT carrying
 * the exact MOR string). The username follows the rule of users.create (trimmed, 1–100 characters,
 * unique without case). Returns the normalised device type and username. Call under lockUserIdentities.
 */
export async function checkRegistration(ctx: Pick<Ctx, 'db'>, input: RegisterInput, template: DefaultUser) {
  const username = usernameOf(input.username);
  if (username === null) throw fail('username', 'Please enter username');
  const deviceType = DEVICE_TYPES.find((t) => t.toLowerCase() === input.deviceType?.toLowerCase());
  if (!deviceType) throw fail('device_type', 'Enter device type');
  if (await usernameTaken(ctx, username)) throw conflict('username', 'Such username is already taken');
  const password = input.password ?? '';
  if (password !== (input.password2 ?? '')) throw fail('password2', 'Passwords do not match');
  if (password.length < template.passwordLength) {
    throw fail('password', `Password must be longer than ${template.passwordLength - 1} characters`);
  }
  if (template.strongPasswords && !(/\d/.test(password) && /[A-Z]/.test(password) && /[a-z]/.test(password))) {
    throw fail('password', 'Password must contain at least one numeric value, capital and lowercase symbol');
  }
  if ((template.namesRequired && !input.firstName?.trim()) || tooLong(input.firstName))
    throw fail('first_name', 'Please enter first name');
  if ((template.namesRequired && !input.lastName?.trim()) || tooLong(input.lastName))
    throw fail('last_name', 'Please enter last name');
  const countryId = /^[1-9]\d{0,8}$/.test(input.countryId ?? '') ? Number(input.countryId) : 0;
  const [country] = await ctx.db.select({ id: directions.id }).from(directions).where(eq(directions.id, countryId));
  if (!country) throw fail('country_id', 'Please select country');
  if (!input.email || !EMAIL.test(input.email) || tooLong(input.email)) throw fail('email', 'Please enter email');
  if (await addressValueTaken(ctx, 'email', input.email)) {
    throw conflict('email', 'This email address is already in use');
  }
  if (OTHER_TEXT.some((field) => tooLong(input[field]))) throw new DomainError('FORBIDDEN', 'text', DONT_BE_SO_SMART);
  if (input.phone && (await addressValueTaken(ctx, 'phone', input.phone))) {
    throw conflict('phone', 'User with phone already exists');
  }
  if (input.mobPhone && (await addressValueTaken(ctx, 'mobPhone', input.mobPhone))) {
    throw conflict('mob_phone', 'User with mobile phone already exists');
  }
  if (input.fax && (await addressValueTaken(ctx, 'fax', input.fax))) {
    throw conflict('fax', 'User with fax already exists');
  }
  if (input.lcrId !== undefined) {
    const ok = /^[1-9]\d{0,8}$/.test(input.lcrId) && (await lcrInRealm(ctx, Number(input.lcrId), template.ownerId));
    if (!ok) throw fail('lcr_id', 'LCR was not found');
  }
  if (input.deviceLocationId !== undefined) {
    const id = /^\d{1,9}$/.test(input.deviceLocationId) ? Number(input.deviceLocationId) : -1;
    const found = await ctx.db
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.id, id), inArray(locations.ownerId, [template.ownerId, 0])));
    if (found.length === 0) throw fail('device_location_id', 'Location was not found');
  }
  return { deviceType, username };
}
