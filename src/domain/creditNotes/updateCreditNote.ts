import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { isNumericOverflow } from '../users/dbErrors.ts';
import { noteUsers, requireNotes } from './access.ts';
import { getCreditNote, NOTE_NOT_FOUND } from './listCreditNotes.ts';
import { type LockedNote, NOT_SAVED, payNote, unpayNote } from './settle.ts';
import type { CreditNoteView } from './view.ts';

export const UpdateCreditNote = v.strictObject({
  creditNoteId: RowId,
  /** New paid state; absent = unchanged. */
  status: v.optional(v.picklist(['paid', 'unpaid'])),
  /** Replaces the comment (empty clears it); absent = unchanged. */
  comment: v.optional(v.pipe(v.string(), v.maxLength(65_535))),
});
export type UpdateCreditNote = v.InferOutput<typeof UpdateCreditNote>;

/** A note row locked for the change, with its state. */
async function lockNote(ctx: Ctx, id: number): Promise<(LockedNote & { status: 'paid' | 'unpaid' }) | undefined> {
  const [row] = await queryRows<LockedNote & { status: 'paid' | 'unpaid' }>(
    ctx.db,
    sql`select n.id, n.user_id as "userId", n.price::text as price, (-n.price)::text as "minusPrice",
        n.payment_id as "paymentId", n.status
      from credit_notes n join users u on u.id = n.user_id
      where n.id = ${id}::int and ${noteUsers(ctx.actor)}
      for update of n`,
  );
  return row;
}

/**
 * Changes a credit note (credit_note_update, creditNotes.update). `paid` on an unpaid note records a
 * `Credit note` payment and raises the balance by the price; `unpaid` on a paid one deletes that
 * payment and lowers the balance by the price again; the same state again changes nothing. The note
 * row is locked first, so concurrent updates move the balance once. Accountants need Manage invoices
 * (write), and See financial data (write) to change the status. Outside reach: NOT_FOUND.
 */
export async function updateCreditNote(ctx: Ctx, input: UpdateCreditNote): Promise<CreditNoteView> {
  requireNotes(ctx.actor, { invoices: 2, financial: input.status !== undefined ? 2 : undefined });
  return withTransaction(ctx, async (tx) => {
    const note = await lockNote(tx, Number.isSafeInteger(input.creditNoteId) ? input.creditNoteId : -1);
    if (!note) throw notFound('credit_note', NOTE_NOT_FOUND);
    try {
      if (input.status === 'paid' && note.status === 'unpaid') await payNote(tx, note);
      if (input.status === 'unpaid' && note.status === 'paid') await unpayNote(tx, note);
    } catch (error) {
      if (isNumericOverflow(error)) throw invalid('credit_note', NOT_SAVED);
      throw error;
    }
    if (input.comment !== undefined) {
      await queryRows(tx.db, sql`update credit_notes set comment = ${input.comment}::text where id = ${note.id}::int`);
    }
    await logAction(tx, {
      action: 'credit_note_updated',
      targetType: 'credit_note',
      targetId: note.id,
      data: note.status,
      data2: input.status ?? note.status,
    });
    return getCreditNote(tx, { creditNoteId: note.id });
  });
}
