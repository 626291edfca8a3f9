import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';

/** A credit note locked for a change of its paid state. */
export interface LockedNote {
  id: number;
  userId: number;
  /** The price and its negation, exact decimal text (computed in SQL). */
  price: string;
  minusPrice: string;
  paymentId: number | null;
}

export const NOT_SAVED = 'Credit note was not saved';

/**
 * Marks a locked unpaid note paid: a completed payment of type `Credit note` (system currency, net =
 * the price, gross = the price with its tax) is recorded in the user's realm, and the balance grows by
 * the price through the ledger (source `credit_note`, the note's id); a negative price takes money
 * away. Runs inside the caller's transaction, which holds the note's row lock.
 */
export async function payNote(ctx: Ctx, note: LockedNote): Promise<void> {
  const [payment] = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, completed,
        confirmation, confirmed_at, credit_note_id)
      select n.user_id, u.owner_id, 'Credit note',
        coalesce((select name from currencies where is_default order by id limit 1), 'USD'),
        n.price, n.price_with_vat - n.price, n.price_with_vat, 1, true, 'not_needed', now(), n.id
      from credit_notes n join users u on u.id = n.user_id where n.id = ${note.id}::int
      returning id`,
  );
  if (!payment) throw invalid('credit_note', NOT_SAVED);
  const moved = await moveUserBalance(ctx, note.userId, {
    amount: note.price,
    source: 'credit_note',
    sourceId: note.id,
    memo: 'Credit note',
  });
  if (!moved) throw invalid('credit_note', NOT_SAVED);
  await queryRows(
    ctx.db,
    sql`with p as (update payments set balance_before = ${moved.before}::numeric, balance_after = ${moved.after}::numeric
        where id = ${payment.id}::int)
      update credit_notes set status = 'paid', pay_date = now(), payment_id = ${payment.id}::int
      where id = ${note.id}::int`,
  );
}

/**
 * Marks a locked paid note unpaid again: its payment is deleted and the balance decreases by the price
 * through the ledger (source `credit_note_reversal`, the note's id).
 */
export async function unpayNote(ctx: Ctx, note: LockedNote): Promise<void> {
  const moved = await moveUserBalance(ctx, note.userId, {
    amount: note.minusPrice,
    source: 'credit_note_reversal',
    sourceId: note.id,
    memo: 'Credit note',
  });
  if (!moved) throw invalid('credit_note', NOT_SAVED);
  await queryRows(
    ctx.db,
    sql`with p as (delete from payments where id = ${note.paymentId ?? -1}::int and credit_note_id = ${note.id}::int)
      update credit_notes set status = 'unpaid', pay_date = null, payment_id = null where id = ${note.id}::int`,
  );
}
