import { and, eq, inArray } from 'drizzle-orm';
import { directions, locations } from '../../db/schema/index.ts';
import type { Ctx } from '../ctx.ts';
import { conflict, invalid } from '../errors.ts';
import type { DefaultUser } from './defaultUser.ts';
import { addressValueTaken, usernameTaken } from './identity.ts';

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
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const fail = (detail: string, message: string) => invalid(detail, message);

/**
 * Validates a sign-up in MOR's GUI order and returns the first failure (INVALID/CONFLICT carrying
 * the exact MOR string). Returns the normalised device type. Call under lockUserIdentities.
 */
export async function checkRegistration(ctx: Pick<Ctx, 'db'>, input: RegisterInput, template: DefaultUser) {
  if (!input.username) throw fail('username', 'Please enter username');
  const deviceType = DEVICE_TYPES.find((t) => t.toLowerCase() === input.deviceType?.toLowerCase());
  if (!deviceType) throw fail('device_type', 'Enter device type');
  if (await usernameTaken(ctx, input.username)) throw conflict('username', 'Such username is already taken');
  const password = input.password ?? '';
  if (password !== (input.password2 ?? '')) throw fail('password2', 'Passwords do not match');
  if (password.length < template.passwordLength) {
    throw fail('password', `Password must be longer than ${template.passwordLength - 1} characters`);
  }
  if (template.strongPasswords && !(/\d/.test(password) && /[A-Z]/.test(password) && /[a-z]/.test(password))) {
    throw fail('password', 'Password must contain at least one numeric value, capital and lowercase symbol');
  }
  if (template.namesRequired && !input.firstName?.trim()) throw fail('first_name', 'Please enter first name');
  if (template.namesRequired && !input.lastName?.trim()) throw fail('last_name', 'Please enter last name');
  const countryId = /^[1-9]\d{0,8}$/.test(input.countryId ?? '') ? Number(input.countryId) : 0;
  const [country] = await ctx.db.select({ id: directions.id }).from(directions).where(eq(directions.id, countryId));
  if (!country) throw fail('country_id', 'Please select country');
  if (!input.email || !EMAIL.test(input.email)) throw fail('email', 'Please enter email');
  if (await addressValueTaken(ctx, 'email', input.email)) {
    throw conflict('email', 'This email address is already in use');
  }
  if (input.phone && (await addressValueTaken(ctx, 'phone', input.phone))) {
    throw conflict('phone', 'User with phone already exists');
  }
  if (input.mobPhone && (await addressValueTaken(ctx, 'mobPhone', input.mobPhone))) {
    throw conflict('mob_phone', 'User with mobile phone already exists');
  }
  if (input.fax && (await addressValueTaken(ctx, 'fax', input.fax))) {
    throw conflict('fax', 'User with fax already exists');
  }
  // No LCR table yet: an lcr_id must at least be an id (existence is checked once LCRs exist).
  if (input.lcrId !== undefined && !/^[1-9]\d{0,8}$/.test(input.lcrId)) throw fail('lcr_id', 'LCR was not found');
  if (input.deviceLocationId !== undefined) {
    const id = /^\d{1,9}$/.test(input.deviceLocationId) ? Number(input.deviceLocationId) : -1;
    const found = await ctx.db
      .select({ id: locations.id })
      .from(locations)
      .where(and(eq(locations.id, id), inArray(locations.ownerId, [template.ownerId, 0])));
    if (found.length === 0) throw fail('device_location_id', 'Location was not found');
  }
  return deviceType;
}
