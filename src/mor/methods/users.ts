import { DomainError } from '../../domain/errors.ts';
import { detailsPatchFromParams, USER_DETAILS_UPDATE_HASH } from '../../domain/users/detailsParams.ts';
import { getUserDetails } from '../../domain/users/getUserDetails.ts';
import { registerUser } from '../../domain/users/registerUser.ts';
import { updateUser } from '../../domain/users/updateUser.ts';
import { userDelete as deleteUserApi } from '../../domain/users/userDelete.ts';
import { usersGet as listUsersGet } from '../../domain/users/usersGet.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { type ErrorWrapper, type MorReply, page, pageError, pageStatusError } from '../xml.ts';

const ALL = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;

/** Runs a method body; a DomainError answers its own message (these methods throw exact MOR strings). */
export async function answer(wrap: ErrorWrapper, run: () => Promise<MorReply>, overrides: Record<string, string> = {}) {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return wrap(overrides[error.code] ?? (error.code === 'NOT_FOUND' ? 'User was not found' : error.message));
  }
}

const idParam = (params: Params, name: string) => {
  const raw = params.value(name);
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : raw === undefined ? undefined : -1;
};

export const userRegister = defineMethod({
  name: 'user_register',
  family: 'users',
  summary: 'Signs a simple user up under the owner whose uniquehash is `id`, with its first device.',
  identity: 'uniquehash',
  hash: [
    'email',
    'id',
    'lcr_id',
    'device_type',
    'username',
    'first_name',
    'last_name',
    'caller_id',
    'state',
    'device_location_id',
  ],
  callers: ALL,
  access: 'write',
  errorWrapper: pageError,
  params: [
    { name: 'id', required: true, description: "owner's uniquehash (admin or reseller)" },
    { name: 'username', required: true, description: 'login of the new user' },
    { name: 'password', required: true, description: 'GUI password (Default User minimum length)' },
    { name: 'password2', required: true, description: 'must equal password' },
    { name: 'email', required: true, description: 'unique e-mail' },
    { name: 'device_type', required: true, description: 'SIP, IAX2 or Virtual' },
    { name: 'country_id', required: true, description: 'country (direction) id' },
    ...['first_name', 'last_name', 'lcr_id', 'caller_id', 'state', 'device_location_id'].map((name) => ({
      name,
      description: 'optional, hashed when sent',
    })),
    ...['mob_phone', 'phone', 'fax', 'client_id', 'vat_number', 'county', 'city', 'postcode', 'address'].map(
      (name) => ({ name, description: 'optional, not hashed' }),
    ),
    { name: 'hash', required: true, description: 'sha1(email + id + … + device_location_id + secret key)' },
  ],
  run: ({ base, params }) =>
    answer(pageError, async () => {
      const p = (name: string) => params.value(name);
      const result = await registerUser(base, {
        ownerUniquehash: p('id'),
        email: p('email'),
        lcrId: p('lcr_id'),
        deviceType: p('device_type'),
        username: p('username'),
        firstName: p('first_name'),
        lastName: p('last_name'),
        callerId: p('caller_id'),
        state: p('state'),
        deviceLocationId: p('device_location_id'),
        password: params.get('password'),
        password2: params.get('password2'),
        countryId: p('country_id'),
        mobPhone: p('mob_phone'),
        phone: p('phone'),
        fax: p('fax'),
        clientId: p('client_id'),
        vatNumber: p('vat_number'),
        county: p('county'),
        city: p('city'),
        postcode: p('postcode'),
        address: p('address'),
      });
      return page({
        status: 'Registration successful',
        user_device_settings: {
          device_type: result.deviceType,
          username: result.deviceUsername,
          password: result.devicePassword,
          pin: result.pin,
          server_ip: result.serverIp,
          registration_notice: result.registrationNotice,
        },
      });
    }),
});

export const userDetailsGet = defineMethod({
  name: 'user_details_get',
  aliases: ['user_details'],
  family: 'users',
  summary: "A user's personal details (GUI-like: formatted balance, Unlimited credit).",
  identity: 'caller',
  hash: ['user_id', 'username'],
  callers: ALL,
  access: 'read',
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', description: 'target user id (or username)' },
    { name: 'username', description: 'target username (or user_id)' },
    { name: 'hash', required: true, description: 'sha1(user_id + username + secret key)' },
  ],
  run: async ({ ctx, params }) => {
    const d = await getUserDetails(ctx!, { userId: idParam(params, 'user_id'), username: params.value('username') });
    return page({
      pagename: 'Personal_details',
      language: d.language,
      userid: d.id,
      details: {
        main_detail: {
          account: d.postpaid ? 'Postpaid' : 'Prepaid',
          // An accountant without See financial data reads the record without its money tags.
          ...(d.money === null
            ? {}
            : {
                balance: `${d.money.balance} ${d.money.currency}`,
                balance_number: d.money.balance,
                balance_currency: d.money.currency,
                credit: d.money.credit ?? 'Unlimited',
              }),
        },
        other_details: {
          username: d.username,
          first_name: d.firstName,
          surname: d.lastName,
          personalid: d.clientid,
          agreement_number: d.agreementNumber,
          agreement_date: d.agreementDate,
          taxation_country: d.taxationCountry,
          vat_reg_number: d.vatNumber,
          vat_percent: d.vatPercent,
        },
        registration: {
          reg_address: d.address,
          reg_postcode: d.postcode,
          reg_city: d.city,
          reg_country: d.country,
          reg_state: d.state,
          reg_direction: d.countryCode,
          reg_phone: d.phone,
          reg_mobile: d.mobPhone,
          reg_fax: d.fax,
          reg_email: d.email,
        },
      },
    });
  },
});

export const userDetailsUpdate = defineMethod({
  name: 'user_details_update',
  aliases: ['user_update_api'],
  family: 'users',
  summary: 'Changes the sent fields of a user (u0…u33, dates, password, taxes, a0…a9).',
  identity: 'caller',
  hash: USER_DETAILS_UPDATE_HASH,
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'write',
  changesRates: true,
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', required: true, description: 'target user id' },
    ...USER_DETAILS_UPDATE_HASH.slice(1).map((name) => ({ name, description: 'field to change (optional)' })),
    { name: 'hash', required: true, description: 'sha1(user_id + every sent parameter in order + secret key)' },
  ],
  run: ({ ctx, params }) =>
    answer(
      pageError,
      async () => {
        const raw = params.value('user_id');
        if (raw === undefined) return pageError('User id must be present');
        if (!/^\d{1,9}$/.test(raw)) return pageError('User id must be non negative integer');
        const userId = Number(raw);
        let fields: ReturnType<typeof detailsPatchFromParams>;
        try {
          fields = detailsPatchFromParams((name) => params.value(name));
        } catch (error) {
          // Target and permission errors come first (spec order): check them with an empty patch.
          await updateUser(ctx!, { userId });
          throw error;
        }
        await updateUser(ctx!, { userId, ...fields });
        return page({ status: 'User was updated' });
      },
      { FORBIDDEN: 'You have no editing permission' },
    ),
});

export const usersGet = defineMethod({
  name: 'users_get',
  family: 'users',
  summary:
    "The users in the caller's reach (id order), hidden ones flagged; the caller proves itself with p or uniquehash.",
  identity: 'caller',
  hash: ['u', 'p'],
  callers: ALL,
  access: 'read',
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'p', description: "caller's password (or uniquehash)" },
    { name: 'uniquehash', description: "caller's uniquehash instead of p (not hashed)" },
    { name: 'hash', required: true, description: 'sha1(u + p + secret key); p absent → sha1(u + secret key)' },
  ],
  run: async ({ ctx, params }) => {
    const rows = await listUsersGet(ctx!, { password: params.value('p'), uniquehash: params.value('uniquehash') });
    return page({
      status: {
        users: {
          user: rows.map((r) => ({
            id: r.id,
            username: r.username,
            first_name: r.firstName,
            last_name: r.lastName,
            balance: r.balance,
            blocked: r.blocked ? 1 : 0,
            lcr_id: r.lcrId ?? '',
            tariff_id: r.tariffId ?? '',
            owner_id: r.ownerId,
            usertype: r.usertype,
            hidden: r.hidden ? 1 : 0,
          })),
        },
      },
    });
  },
});

export const userDelete = defineMethod({
  name: 'user_delete',
  family: 'users',
  summary: 'Deletes a user without DIDs, calls, invoices or users of its own, with its devices and settings.',
  identity: 'caller',
  hash: ['user_id'],
  callers: ALL,
  access: 'write',
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'user_id', required: true, description: 'user to delete' },
    { name: 'hash', required: true, description: 'sha1(user_id + secret key)' },
  ],
  run: ({ ctx, params }) =>
    answer(pageError, async () => {
      const raw = params.value('user_id');
      if (raw === undefined || !/^\d{1,9}$/.test(raw)) return pageError('User was not found');
      await deleteUserApi(ctx!, Number(raw));
      return page({ status: 'User deleted' });
    }),
});
