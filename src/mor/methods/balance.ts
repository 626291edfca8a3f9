import { getBalance } from '../../domain/balance/getBalance.ts';
import { getBalanceByCredential } from '../../domain/balance/getBalanceByCredential.ts';
import { DomainError } from '../../domain/errors.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, statusError, text } from '../xml.ts';

const ALL = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;
const FEATURE_DISABLED = 'Feature disabled';

export const userBalanceGet = defineMethod({
  name: 'user_balance_get',
  aliases: ['balance'],
  family: 'balance',
  summary: "A user's balance, optionally converted to another currency.",
  identity: 'caller',
  hash: ['username', 'currency'],
  callers: ALL,
  access: 'read',
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'username', required: true, description: 'user whose balance is wanted' },
    { name: 'currency', description: 'ISO code or USER; unknown codes give the system currency' },
    { name: 'user_currency', description: "1: answer in the user's currency and add <currency>" },
    { name: 'hash', required: true, description: 'sha1(username + currency + secret key)' },
  ],
  run: async ({ ctx, params, auth, handle }) => {
    if (!auth.settings.allowBalanceOverHttp) return pageError(FEATURE_DISABLED);
    const username = params.value('username');
    if (username === undefined) return pageError('User was not found');
    const userCurrency = params.get('user_currency') === '1';
    const result = await getBalance(handle.db, ctx!.actor, {
      username,
      currency: params.value('currency'),
      userCurrency,
    });
    return page(userCurrency ? { balance: result.balance, currency: result.currency } : { balance: result.balance });
  },
});

export const userSimpleBalanceGet = defineMethod({
  name: 'user_simple_balance_get',
  aliases: ['simple_balance'],
  family: 'balance',
  summary: "Plain-text balance for phones, by the user's uniquehash.",
  identity: 'uniquehash',
  hash: null,
  callers: ALL,
  access: null,
  params: [
    { name: 'id', required: true, description: "the user's uniquehash" },
    { name: 'currency', description: 'ISO code or USER' },
  ],
  run: async ({ params, auth, handle }) => {
    if (!auth.settings.allowBalanceOverHttp) return text(FEATURE_DISABLED);
    const id = params.value('id');
    if (!auth.account || id === undefined) return statusError('Incorrect hash');
    const result = await getBalanceByCredential(handle.db, 'uniquehash', id, params.value('currency'));
    return text(result.balance);
  },
});

const byDevice = (name: string, by: 'deviceSecret' | 'deviceUsername', what: string) =>
  defineMethod({
    name,
    family: 'balance',
    summary: `Balance of the owner of the device whose ${what} is the last path segment.`,
    identity: 'none',
    hash: null,
    callers: ALL,
    access: null,
    pathParam: by === 'deviceSecret' ? 'device_password' : 'device_username',
    errorWrapper: pageError,
    params: [
      { name: `/<device ${what}>`, required: true, description: `device ${what}, URL-encoded path segment` },
      { name: 'currency', description: 'ISO code or USER' },
    ],
    run: async ({ params, auth, handle, method }) => {
      if (!auth.settings.allowBalanceOverHttp) return pageError(FEATURE_DISABLED);
      const value = params.value(method.pathParam!);
      if (value === undefined) throw new DomainError('NOT_FOUND', 'user');
      const result = await getBalanceByCredential(handle.db, by, value, params.value('currency'));
      return page({ balance: result.balance });
    },
  });

export const userBalanceGetByPsw = byDevice('user_balance_get_by_psw', 'deviceSecret', 'password');
export const userBalanceGetByUsername = byDevice('user_balance_get_by_username', 'deviceUsername', 'username');
