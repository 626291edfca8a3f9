import { tariffsGet as listTariffsGet } from '../../domain/rating/tariffs/tariffsGet.ts';
import { defineMethod } from '../method.ts';
import { page, pageError } from '../xml.ts';
import { answer } from './users.ts';

export const tariffsGet = defineMethod({
  name: 'tariffs_get',
  family: 'tariffs',
  summary: "The tariffs of the caller's realm by id (name, purpose, currency, last update), rates not included.",
  identity: 'caller',
  hash: ['u'],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'read',
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: "caller username; its realm's tariffs are listed" },
    { name: 'hash', required: true, description: 'sha1(u + secret key)' },
  ],
  run: ({ ctx }) =>
    answer(
      pageError,
      async () => {
        const rows = await listTariffsGet(ctx!);
        return page({
          tariffs: {
            tariff: rows.map((t) => ({
              id: t.id,
              name: t.name,
              purpose: t.purpose,
              currency: t.currency,
              last_update_date: t.lastUpdateDate,
            })),
          },
        });
      },
      { NOT_FOUND: 'No Tariffs found' },
    ),
});
