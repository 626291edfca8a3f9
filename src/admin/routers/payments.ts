import { ConfirmPayment, confirmPayment } from '../../domain/payments/confirmPayment.ts';
import { CreatePayment, createPayment } from '../../domain/payments/createPayment.ts';
import { ListPayments, listPayments } from '../../domain/payments/listPayments.ts';
import { idempotent, withKey } from '../idempotent.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Payments, scoped like payments_get / payment_create: the admin and accountants
 * with Payments the admin's realm, a reseller its users (and its own payments, read), a simple user
 * its own (read). Money is decimal text; mutations are idempotent with `idempotencyKey`.
 */
export const paymentsRouter = router({
  /** Filters AND-ed, oldest first; every match unless `limit`; `total` counts them. */
  list: authed.input(strict(ListPayments)).query(({ ctx, input }) => listPayments(ctx.ctx, input)),
  /**
   * The GUI's manual payment: completed at once, its net amount (converted to the system currency)
   * added to the balance. Type `Manual` unless `paymenttype` says otherwise.
   */
  create: authed
    .input(strict(withKey(CreatePayment)))
    .mutation(idempotent('payments.create', (ctx, input: CreatePayment) => createPayment(ctx, input))),
  /** Confirms a payment waiting for the admin (API Payment Confirmation): it completes and moves the balance. */
  confirm: authed
    .input(idAs(withKey(ConfirmPayment), 'paymentId'))
    .mutation(idempotent('payments.confirm', confirmPayment)),
});
