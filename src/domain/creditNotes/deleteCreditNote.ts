import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { noteUsers, requireNotes } from './access.ts';
import { NOTE_NOT_FOUND } from './listCreditNotes.ts';

export const DeleteCreditNote = v.strictObject({ creditNoteId: RowId });
export type DeleteCreditNote = v.InferOutput<typeof DeleteCreditNote>;

/**
 * Deletes a credit note (credit_note_delete, creditNotes.delete). A paid note's payment stays and the
 * balance is NOT restored (MOR's rule: correct it with a negative payment); the payment only loses its
 * link to the note. Accountants need Manage invoices and See financial data, both write.
 */
export async function deleteCreditNote(ctx: Ctx, input: DeleteCreditNote): Promise<{ id: number; status: string }> {
  requireNotes(ctx.actor, { invoices: 2, financial: 2 });
  return withTransaction(ctx, async (tx) => {
    const id = Number.isSafeInteger(input.creditNoteId) ? input.creditNoteId : -1;
    const [note] = await queryRows<{ id: number; status: string; price: string }>(
      tx.db,
      sql`with gone as (
          delete from credit_notes n using users u
          where n.id = ${id}::int and u.id = n.user_id and ${noteUsers(ctx.actor)}
          returning n.id, n.status, n.price, n.payment_id),
        unlinked as (update payments p set credit_note_id = null from gone where p.id = gone.payment_id)
        select id, status, price::text as price from gone`,
    );
    if (!note) throw notFound('credit_note', NOTE_NOT_FOUND);
    await logAction(tx, {
      action: 'credit_note_deleted',
      targetType: 'credit_note',
      targetId: note.id,
      data: note.status,
      data2: note.price,
    });
    return { id: note.id, status: note.status };
  });
}
