import { changeBalance } from '../../domain/users/changeBalance.ts';
import { defineMethod } from '../method.ts';
import { pageError, xml } from '../xml.ts';

export const userBalanceUpdate = defineMethod({
  name: 'user_balance_update',
  aliases: ['user_balance_change', 'change_user_balance'],
  family: 'balance',
  summary: "Adds an amount (negative subtracts) to a user's balance.",
  identity: 'caller',
  hash: ['user_id', 'balance'],
  callers: ['admin', 'accountant', 'reseller'],
  access: 'write',
  movesMoney: true,
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, permitted accountant)' },
    { name: 'user_id', required: true, description: 'user whose balance changes' },
    { name: 'balance', required: true, description: 'amount to add in the system currency, e.g. 100 or -5.5' },
    { name: 'hash', required: true, description: 'sha1(user_id + balance + secret key)' },
  ],
  run: async ({ ctx, params }) => {
    const id = params.value('user_id');
    if (id === undefined || !/^\d{1,9}$/.test(id)) return pageError('User was not found');
    const user = await changeBalance(ctx!, { userId: Number(id), amount: params.value('balance') ?? '' });
    // The documented answer nests <page> twice; kept as documented.
    return xml({
      page: {
        page: {
          status: 'User balance updated',
          user: { username: user.username, id: user.id, balance: user.balance },
        },
      },
    });
  },
});
