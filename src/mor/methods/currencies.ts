import { updateExchangeRate } from '../../domain/currencies/updateExchangeRate.ts';
import { morMessage } from '../errors.ts';
import { defineMethod } from '../method.ts';
import { pageStatusError, pageStatusSuccess } from '../xml.ts';

export const exchangeRateUpdate = defineMethod({
  name: 'exchange_rate_update',
  family: 'currencies',
  summary: "Sets a currency's exchange rate (admin only; currencies with automatic update off).",
  identity: 'caller',
  hash: ['currency', 'rate'],
  callers: ['admin'],
  access: 'write',
  changesRates: true,
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin)' },
    { name: 'currency', required: true, description: 'currency code, case sensitive' },
    { name: 'rate', required: true, description: 'units of this currency per one unit of the system currency' },
    { name: 'hash', required: true, description: 'sha1(currency + rate + secret key)' },
  ],
  run: async ({ ctx, params }) => {
    try {
      await updateExchangeRate(ctx!, { currency: params.get('currency') ?? '', rate: params.get('rate') ?? '' });
      return pageStatusSuccess('Currency successfully updated');
    } catch (error) {
      const message = morMessage(error, { NOT_FOUND: 'Currency was not found', FORBIDDEN: 'Access Denied' });
      if (message === null) throw error;
      return pageStatusError(message);
    }
  },
});
