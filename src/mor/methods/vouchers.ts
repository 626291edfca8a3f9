import { useVoucher } from '../../domain/vouchers/useVoucher.ts';
import { defineMethod } from '../method.ts';
import { page, pageError } from '../xml.ts';
import { EVERYONE, guarded, idOf } from './moneySupport.ts';

export const voucherUse = defineMethod({
  name: 'voucher_use',
  family: 'vouchers',
  summary: "Turns a voucher into a payment on the caller's (or, for the admin, user_id's) balance.",
  identity: 'caller',
  hash: ['voucher_number'],
  callers: EVERYONE,
  access: 'write',
  movesMoney: true,
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    {
      name: 'u',
      required: true,
      description: "caller: the admin or one of the admin's own users (resellers included)",
    },
    { name: 'voucher_number', required: true, description: 'voucher code' },
    { name: 'user_id', description: 'user topped up (default the caller); admin-owned; a non-admin: only itself' },
    { name: 'hash', required: true, description: 'sha1(voucher_number + key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    const used = await useVoucher(ctx, {
      voucherNumber: params.value('voucher_number'),
      userId: params.value('user_id') === undefined ? undefined : (idOf(params, 'user_id') ?? Number.NaN),
    });
    return page({
      status: {
        status: 'Voucher used to update balance',
        voucher_number: used.voucherNumber,
        voucher_id: used.voucherId,
        credit_with_tax: used.creditWithTax,
        credit_without_tax: used.creditWithoutTax,
        currency: used.currency,
        credit_in_default_currency: used.creditInDefaultCurrency,
        user_id: used.userId,
        balance_after_voucher_use: used.balanceAfter,
        payment_id: used.paymentId,
      },
    });
  }),
});
