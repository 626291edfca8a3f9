import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { managedPayments, requirePayments } from './access.ts';
import { completePayment } from './completePayment.ts';
import { type PaymentView, readPayment } from './view.ts';

export const ConfirmPayment = v.strictObject({ paymentId: RowId });
export type ConfirmPayment = v.InferOutput<typeof ConfirmPayment>;

export const NOT_WAITING = 'Payment is not waiting for confirmation';

/**
 * The GUI's confirmation of a payment that waits for it ("API Payment Confirmation"): the payment is
 * completed and its net amount, converted with the exchange rate stored when it was made, moves onto
 * the user's balance through the ledger — once: the state change is a conditional update, so a
 * concurrent second confirmation finds nothing waiting (CONFLICT). The admin and accountants with
 * Payments (write) confirm the admin's realm, a reseller its users' payments. Outside reach: NOT_FOUND.
 */
export async function confirmPayment(ctx: Ctx, input: ConfirmPayment): Promise<PaymentView> {
  const { actor } = ctx;
  requirePayments(actor, 2);
  return withTransaction(ctx, async (tx) => {
    const [row] = await queryRows<{ id: number; userId: number; credit: string; paymenttype: string; label: string }>(
      tx.db,
      sql`update payments p set confirmation = 'confirmed'
        where p.id = ${input.paymentId}::int and p.user_id is not null and p.confirmation = 'waiting'
          and ${managedPayments(actor)}
        returning p.id, p.user_id as "userId", round(p.amount / p.exchange_rate, 6)::text as credit, p.paymenttype,
          p.amount::text || ' ' || p.currency as label`,
    );
    if (!row) {
      const [seen] = await queryRows<{ id: number }>(
        tx.db,
        sql`select p.id from payments p where p.id = ${input.paymentId}::int and ${managedPayments(actor)}`,
      );
      if (!seen) throw notFound('payment', 'Payment was not found');
      throw conflict('payment', NOT_WAITING);
    }
    const moved = await completePayment(tx, row, 'confirmed');
    await logAction(tx, {
      action: 'payment_confirmed',
      targetType: 'payment',
      targetId: row.id,
      data: `${row.label} for user ${row.userId}`,
      data2: moved.after,
    });
    return readPayment(tx, row.id);
  });
}
