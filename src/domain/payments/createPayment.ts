import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { taxFactor } from '../cards/money.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { isNumericOverflow } from '../users/dbErrors.ts';
import { payableUsers, requirePayments } from './access.ts';
import { completePayment } from './completePayment.ts';
import { type PaymentView, readPayment } from './view.ts';

/** A payment amount: a decimal (may be negative: money taken away), at most 14 integer digits. */
export const PaymentAmount = v.pipe(
  v.string(),
  v.regex(/^[+-]?(\d{1,14}(\.\d{0,12})?|\.\d{1,12})$/, 'Amount must be numeric'),
);

const Text = (max: number) => v.optional(v.pipe(v.string(), v.maxLength(max)));

export const CreatePayment = v.strictObject({
  /** The user whose balance receives the payment. */
  userId: UserId,
  /** Currency code of `amount` (an active currency). */
  currency: v.pipe(v.string(), v.minLength(1), v.maxLength(10)),
  amount: PaymentAmount,
  /** true: `amount` includes the user's tax (it is the gross); false (default): it is the net. */
  taxInAmount: v.optional(v.boolean()),
  /** Type label (gateway name); default `Manual` (tRPC) or `api` (payment_create). */
  paymenttype: Text(255),
  transactionId: Text(255),
  payerEmail: Text(255),
  /** Private comment, seen by the realm's managers only. */
  comment: Text(10_000),
  /** Comment shown to the user with the payment. */
  commentsForUser: Text(10_000),
});
export type CreatePayment = v.InferOutput<typeof CreatePayment>;

export interface PaymentOptions {
  /** "API Payment Confirmation": store the payment waiting; the balance moves when it is confirmed. */
  waitForConfirmation?: boolean;
  /** Type label when `paymenttype` is not given. */
  defaultType?: string;
}

/** payment_create's messages under `Payment was not saved`. */
export const AMOUNT_NOT_NUMERIC = 'Amount must be numeric';
export const AMOUNT_TOO_LARGE = 'Amount is too large';

/**
 * Records a user's payment (payment_create, payments.create). Tax comes from the user's taxes row: with
 * `taxInAmount` the amount is the gross and the net is the gross with the tax removed, else the amount
 * is the net and the tax is added on top (all in the payment currency, numeric in SQL, 6 decimals).
 * The payment belongs to the user's realm (`ownerId` = the user's owner: a reseller's user pays the
 * reseller). Unless it waits for confirmation it is completed at once: its NET amount, converted to
 * the system currency with the currency's exchange rate (stored on the payment), moves onto the
 * balance through the ledger. Checks in payment_create's order: rights, user in reach
 * (NOT_FOUND `user`), active currency (NOT_FOUND `currency`), amount (INVALID `amount`).
 */
export async function createPayment(
  ctx: Ctx,
  input: CreatePayment,
  options: PaymentOptions = {},
): Promise<PaymentView> {
  const { actor } = ctx;
  requirePayments(actor, 2);
  return withTransaction(ctx, async (tx) => {
    const userId = Number.isSafeInteger(input.userId) ? input.userId : -1;
    const [user] = await queryRows<{ id: number; factor: string }>(
      tx.db,
      sql`select u.id, ${taxFactor('t')}::text as factor from users u left join taxes t on t.id = u.tax_id
        where u.id = ${userId}::int and ${payableUsers(actor)}`,
    );
    if (!user) throw notFound('user', 'Access Denied');
    const [currency] = await queryRows<{ name: string; rate: string }>(
      tx.db,
      sql`select name, exchange_rate::text as rate from currencies
        where upper(name) = upper(${input.currency}::text) and active order by id limit 1`,
    );
    if (!currency) throw notFound('currency', 'No currency');
    if (!v.is(PaymentAmount, input.amount)) throw invalid('amount', AMOUNT_NOT_NUMERIC);
    const waiting = options.waitForConfirmation === true;
    const paymenttype = input.paymenttype || options.defaultType || 'Manual';
    try {
      const [row] = await queryRows<{ id: number; credit: string; net: string }>(
        tx.db,
        sql`with k as (select ${input.amount}::numeric as amount, ${user.factor}::numeric as factor,
              ${input.taxInAmount === true}::boolean as gross_given),
            m as (select case when gross_given then round(amount / factor, 6) else round(amount, 6) end as net,
              case when gross_given then round(amount, 6) else round(amount * factor, 6) end as gross from k)
          insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, completed,
            confirmation, transaction_id, payer_email, comment, comments_for_user)
          select u.id, u.owner_id, ${paymenttype}::text, ${currency.name}::text, m.net, m.gross - m.net, m.gross,
            ${currency.rate}::numeric, false, ${waiting ? 'waiting' : 'not_needed'}::text,
            ${input.transactionId ?? ''}::text, ${input.payerEmail ?? ''}::text, ${input.comment ?? ''}::text,
            ${input.commentsForUser ?? ''}::text
          from users u, m where u.id = ${user.id}::int
          returning id, round(amount / exchange_rate, 6)::text as credit, amount::text as net`,
      );
      const payment = row!;
      await logAction(tx, {
        action: 'payment_created',
        targetType: 'payment',
        targetId: payment.id,
        data: `${payment.net} ${currency.name} for user ${user.id}`,
        data2: waiting ? 'waiting' : 'completed',
      });
      if (!waiting) await completePayment(tx, { ...payment, userId: user.id, paymenttype }, 'not_needed');
      return readPayment(tx, payment.id);
    } catch (error) {
      if (isNumericOverflow(error)) throw invalid('amount', AMOUNT_TOO_LARGE);
      throw error;
    }
  });
}
