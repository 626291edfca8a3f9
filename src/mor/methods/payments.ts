import { fixed } from '../../domain/cards/money.ts';
import { DomainError } from '../../domain/errors.ts';
import { requirePayments } from '../../domain/payments/access.ts';
import { createPayment } from '../../domain/payments/createPayment.ts';
import { type ListPayments, listPayments } from '../../domain/payments/listPayments.ts';
import { MorRefusal } from '../errors.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageError, xml } from '../xml.ts';
import { EVERYONE, guarded, idOf, refuse, unixTime } from './moneySupport.ts';

/** payment_create's hash order: the order of the page's parameter list, which reproduces its example digest. */
export const PAYMENT_CREATE_HASH = [
  'user_id',
  'p_currency',
  'paymenttype',
  'tax_in_amount',
  'amount',
  'transaction',
  'payer_email',
] as const;

export const paymentCreate = defineMethod({
  name: 'payment_create',
  aliases: ['create_payment'],
  family: 'payments',
  summary: "Records a user's payment; completed at once (balance += net) unless API Payment Confirmation is on.",
  identity: 'caller',
  hash: PAYMENT_CREATE_HASH,
  callers: EVERYONE,
  access: 'write',
  movesMoney: true,
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller: admin, reseller, accountant with Payments (write)' },
    { name: 'user_id', required: true, description: "user whose balance receives the payment (caller's realm)" },
    { name: 'p_currency', required: true, description: 'currency code of amount (active currency)' },
    { name: 'paymenttype', description: 'type label (gateway name); default `api`' },
    { name: 'tax_in_amount', description: '1: amount includes the tax (gross); 0 (default): amount is net' },
    { name: 'amount', required: true, description: 'decimal, may be negative' },
    { name: 'transaction', description: 'external transaction id' },
    { name: 'payer_email', description: "payer's e-mail" },
    { name: 'comments_for_user', description: 'comment shown to the user (not hashed)' },
    {
      name: 'hash',
      required: true,
      description:
        'sha1(user_id + p_currency + paymenttype + tax_in_amount + amount + transaction + payer_email + key)',
    },
  ],
  run: guarded(pageError, async ({ ctx, params, auth }) => {
    // The method page checks "API allow Payments" before the caller's role.
    if (!auth.settings.allowApiPayments) refuse(pageError, 'Feature Disabled');
    requirePayments(ctx.actor, 2);
    try {
      const p = await createPayment(
        ctx,
        {
          userId: idOf(params, 'user_id') ?? Number.NaN,
          currency: params.value('p_currency') ?? '',
          amount: params.value('amount') ?? '',
          taxInAmount: params.value('tax_in_amount') === '1',
          paymenttype: params.value('paymenttype'),
          transactionId: params.value('transaction'),
          payerEmail: params.value('payer_email'),
          commentsForUser: params.value('comments_for_user'),
        },
        { waitForConfirmation: auth.settings.apiPaymentConfirmation, defaultType: 'api' },
      );
      return page({
        response: {
          status: 'ok',
          confirmed: p.completed ? 'Yes' : 'No',
          payment: {
            '@currency': p.currency,
            payment_id: p.id,
            tax: fixed(p.tax),
            amount: fixed(p.amount),
            gross: fixed(p.gross),
          },
        },
      });
    } catch (error) {
      // The 2012 page's shape: one <message> per problem inside the error.
      if (error instanceof DomainError && error.code === 'INVALID' && error.detail === 'amount') {
        throw new MorRefusal(xml({ page: { error: { '#text': 'Payment was not saved', message: error.message } } }));
      }
      throw error;
    }
  }),
});

/** payments_get's filter parameters, in hash order. */
const FILTERS = [
  's_user_id',
  's_from',
  's_till',
  's_transaction',
  's_completed',
  's_username',
  's_first_name',
  's_last_name',
  's_paymenttype',
  's_amount_min',
  's_amount_max',
  's_currency',
  's_number',
  's_pin',
] as const;

const DECIMAL = /^[+-]?(\d{1,14}(\.\d{0,12})?|\.\d{1,12})$/;

/** The list filters of a payments_get request; a malformed value answers `Invalid <parameter>`. */
function filtersOf(params: Params): ListPayments {
  const bad = (name: string): never => refuse(pageError, `Invalid ${name}`);
  const from = params.value('s_from');
  const till = params.value('s_till');
  const filters: ListPayments = {};
  // The period needs both ends; otherwise the list is today's.
  if (from !== undefined && till !== undefined) {
    filters.from = unixTime(from, 0) ?? bad('s_from');
    filters.till = unixTime(till, 0) ?? bad('s_till');
  } else filters.today = true;
  const completed = params.value('s_completed');
  if (completed !== undefined)
    filters.completed = completed === '1' ? true : completed === '0' ? false : bad('s_completed');
  for (const [name, key] of [
    ['s_amount_min', 'amountMin'],
    ['s_amount_max', 'amountMax'],
  ] as const) {
    const value = params.value(name);
    if (value !== undefined) filters[key] = DECIMAL.test(value) ? value : bad(name);
  }
  const text = {
    s_transaction: 'transaction',
    s_username: 'username',
    s_first_name: 'firstName',
    s_last_name: 'lastName',
    s_paymenttype: 'paymenttype',
    s_currency: 'currency',
    s_number: 'cardNumber',
    s_pin: 'cardPin',
  } as const;
  for (const [name, key] of Object.entries(text)) {
    const value = params.value(name);
    if (value !== undefined) filters[key] = value.slice(0, 255);
  }
  return filters;
}

const money = (value: string | null) => (value === null ? '' : fixed(value));

export const paymentsGet = defineMethod({
  name: 'payments_get',
  aliases: ['payments_list'],
  family: 'payments',
  summary: "Payments in the caller's reach, filtered (default: today's), oldest first.",
  identity: 'caller',
  hash: FILTERS,
  callers: EVERYONE,
  access: 'read',
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller (a simple user sees only its own payments)' },
    { name: 's_user_id', description: "payments of this user (caller's realm)" },
    { name: 's_from', description: 'Unix time; period start on the date added (only with s_till)' },
    { name: 's_till', description: 'Unix time; period end (only with s_from); default: today' },
    { name: 's_transaction', description: 'transaction id prefix' },
    { name: 's_completed', description: '1 completed, 0 not completed' },
    { name: 's_username', description: 'username prefix' },
    { name: 's_first_name', description: 'first name prefix' },
    { name: 's_last_name', description: 'last name prefix' },
    { name: 's_paymenttype', description: 'payment type (any case)' },
    { name: 's_amount_min', description: 'net amount ≥' },
    { name: 's_amount_max', description: 'net amount ≤' },
    { name: 's_currency', description: 'payment currency' },
    { name: 's_number', description: 'calling card number' },
    { name: 's_pin', description: 'calling card PIN' },
    { name: 'hash', required: true, description: 'sha1(the sent s_* values in this order + key), or sha1(key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    requirePayments(ctx.actor, 1);
    const userId = idOf(params, 's_user_id');
    const filters = filtersOf(params);
    if (userId !== undefined) {
      if (Number.isNaN(userId)) refuse(pageError, 'Access Denied');
      filters.userId = userId;
    }
    const { payments } = await listPayments(ctx, filters);
    return page({
      pagename: 'Payments_list',
      payments: {
        payment: payments.map((p) => ({
          user: p.user,
          payer: p.payerEmail,
          transaction_id: p.transactionId,
          date: p.dateLocal,
          confirm_date: p.confirmDateLocal,
          type: p.paymenttype,
          amount: fixed(p.amount),
          fee: fixed(p.fee),
          amount_with_tax: fixed(p.gross),
          currency: p.currency,
          completed: p.completed ? 1 : 0,
          confirmed_by_admin: p.confirmation === 'waiting' ? 0 : 1,
          comments_for_user: p.commentsForUser,
          user_balance_before_payment: money(p.balanceBefore),
          user_balance_after_payment: money(p.balanceAfter),
        })),
      },
    });
  }),
});
