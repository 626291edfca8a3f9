import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';

/** A user's payment whose money reaches the balance now. */
export interface Completing {
  id: number;
  userId: number;
  /** Net amount converted to the system currency (amount / exchange rate), exact decimal text. */
  credit: string;
  paymenttype: string;
}

/**
 * Moves a payment's net amount, in the system currency, onto its user's balance through the ledger
 * (source `payment`, the payment's id) and records the balance before and after on the payment, which
 * is marked completed. Runs inside the caller's transaction, after the payment row was written or
 * locked, so a payment moves money once.
 */
export async function completePayment(
  ctx: Ctx,
  payment: Completing,
  confirmation: 'not_needed' | 'confirmed',
): Promise<{ before: string; after: string }> {
  const moved = await moveUserBalance(ctx, payment.userId, {
    amount: payment.credit,
    source: 'payment',
    sourceId: payment.id,
    memo: payment.paymenttype,
  });
  if (!moved) throw notFound('user', 'Access Denied');
  await queryRows(
    ctx.db,
    sql`update payments set completed = true, confirmation = ${confirmation}::text, confirmed_at = now(),
        balance_before = ${moved.before}::numeric, balance_after = ${moved.after}::numeric
      where id = ${payment.id}::int`,
  );
  return { before: moved.before, after: moved.after };
}
