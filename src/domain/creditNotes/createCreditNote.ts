import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { taxFactor } from '../cards/money.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { isNumericOverflow } from '../users/dbErrors.ts';
import { noteUsers, requireNotes } from './access.ts';
import { getCreditNote } from './listCreditNotes.ts';
import type { CreditNoteView } from './view.ts';
import { taxSnapshot } from './view.ts';

/** A credit note's price: a decimal without tax in the system currency; may be negative. */
export const NotePrice = v.pipe(v.string(), v.regex(/^[+-]?(\d{1,14}(\.\d{0,12})?|\.\d{1,12})$/, 'a decimal number'));
const Text = (max: number) => v.optional(v.pipe(v.string(), v.maxLength(max)));

export const CreateCreditNote = v.strictObject({
  userId: UserId,
  /** Free text, like invoice numbers; not unique. */
  number: Text(255),
  price: NotePrice,
  /** ISO 8601. */
  issueDate: v.pipe(v.string(), v.isoTimestamp()),
  comment: Text(65_535),
});
export type CreateCreditNote = v.InferOutput<typeof CreateCreditNote>;

export const NOT_CREATED = 'Credit note was not created';
export const USER_NOT_FOUND = 'User was not found';

/**
 * Issues an unpaid credit note to a user in reach (credit_note_create, creditNotes.create): the price
 * with the user's current taxes (numeric in SQL, 6 decimals) and a copy of those taxes are kept, so
 * later tax changes do not alter it. The balance does not move until the note is marked paid. Checks
 * in credit_note_create's order: rights (accountants: Manage invoices read, See financial data write),
 * user (NOT_FOUND `user`), price and issue date (INVALID `credit_note`).
 */
export async function createCreditNote(ctx: Ctx, input: CreateCreditNote): Promise<CreditNoteView> {
  const { actor } = ctx;
  requireNotes(actor, { invoices: 1, financial: 2 });
  return withTransaction(ctx, async (tx) => {
    const userId = Number.isSafeInteger(input.userId) ? input.userId : -1;
    const [user] = await queryRows<{ id: number }>(
      tx.db,
      sql`select u.id from users u where u.id = ${userId}::int and ${noteUsers(actor)}`,
    );
    if (!user) throw notFound('user', USER_NOT_FOUND);
    if (!v.is(NotePrice, input.price) || !v.is(CreateCreditNote.entries.issueDate, input.issueDate)) {
      throw invalid('credit_note', NOT_CREATED);
    }
    try {
      const [note] = await queryRows<{ id: number; price: string }>(
        tx.db,
        sql`insert into credit_notes (user_id, owner_id, number, issue_date, price, price_with_vat, taxes, comment)
          select u.id, u.owner_id, ${input.number ?? ''}::text, ${input.issueDate}::timestamptz,
            round(${input.price}::numeric, 6), round(round(${input.price}::numeric, 6) * ${taxFactor('t')}, 6),
            ${taxSnapshot('t')}, ${input.comment ?? ''}::text
          from users u left join taxes t on t.id = u.tax_id where u.id = ${user.id}::int
          returning id, price::text as price`,
      );
      await logAction(tx, {
        action: 'credit_note_created',
        targetType: 'credit_note',
        targetId: note!.id,
        data: note!.price,
        data2: `user ${user.id}`,
      });
      return getCreditNote(tx, { creditNoteId: note!.id });
    } catch (error) {
      if (isNumericOverflow(error)) throw invalid('credit_note', NOT_CREATED);
      throw error;
    }
  });
}
