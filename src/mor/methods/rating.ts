import { DomainError } from '../../domain/errors.ts';
import { getRate } from '../../domain/rating/getRate.ts';
import { morMessage } from '../errors.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, statusError } from '../xml.ts';

/** rate_get's strings: an invisible user and a refused caller answer in `<status>`, the rest in `<page>`. */
const RATE_ERRORS = { 'NOT_FOUND:rate': 'Rate was not found', 'NOT_FOUND:user_hidden': 'User was not found' };

export const rateGet = defineMethod({
  name: 'rate_get',
  aliases: ['rate'],
  family: 'rates',
  summary: 'The rate a user pays for a prefix, or the best match for a full number (by_full_dst=1).',
  identity: 'caller',
  hash: ['username'],
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'read',
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'username', required: true, description: 'user whose rate is wanted' },
    { name: 'prefix', required: true, description: 'destination prefix (or a full number with by_full_dst=1)' },
    { name: 'by_full_dst', description: '1: longest-prefix match of a full number, every time band' },
    { name: 'hash', required: true, description: 'sha1(username + secret key)' },
  ],
  run: async ({ ctx, params, auth }) => {
    if (!auth.settings.allowRateOverHttp) return pageError('Feature disabled');
    try {
      const lines = await getRate(
        ctx!,
        {
          username: params.value('username') ?? '',
          prefix: params.get('prefix') ?? '',
          byFullDst: params.get('by_full_dst') === '1',
        },
        auth.settings,
      );
      return page({ rate: lines.map((l) => `${l.price}#${l.name}#${l.prefix}`) });
    } catch (error) {
      const message = morMessage(error, RATE_ERRORS);
      if (message === null) throw error;
      const inStatus = error instanceof DomainError && (error.code === 'FORBIDDEN' || error.detail === 'user_hidden');
      return inStatus ? statusError(message) : pageError(message);
    }
  },
});
