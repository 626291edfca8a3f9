import { CreateCreditNote, createCreditNote } from '../../domain/creditNotes/createCreditNote.ts';
import { DeleteCreditNote, deleteCreditNote } from '../../domain/creditNotes/deleteCreditNote.ts';
import {
  GetCreditNote,
  getCreditNote,
  ListCreditNotes,
  listCreditNotes,
} from '../../domain/creditNotes/listCreditNotes.ts';
import { UpdateCreditNote, updateCreditNote } from '../../domain/creditNotes/updateCreditNote.ts';
import { idempotent, withKey } from '../idempotent.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Credit notes, scoped like the credit-note XML methods; simple users read their
 * own. Prices in the system currency as decimal text; mutations are idempotent with `idempotencyKey`.
 */
export const creditNotesRouter = router({
  /** By id; one user's with `userId`; every match unless `limit`. */
  list: authed.input(idAs(ListCreditNotes, 'creditNoteId')).query(({ ctx, input }) => listCreditNotes(ctx.ctx, input)),
  get: authed.input(idAs(GetCreditNote, 'creditNoteId')).query(({ ctx, input }) => getCreditNote(ctx.ctx, input)),
  /** An unpaid note: the balance does not move yet. */
  create: authed.input(strict(withKey(CreateCreditNote))).mutation(idempotent('creditNotes.create', createCreditNote)),
  /** `status: 'paid'` pays it (payment + balance += price); `'unpaid'` reverses that. */
  update: authed
    .input(idAs(withKey(UpdateCreditNote), 'creditNoteId'))
    .mutation(idempotent('creditNotes.update', updateCreditNote)),
  /** A paid note's payment stays; the balance is not restored. */
  delete: authed
    .input(idAs(withKey(DeleteCreditNote), 'creditNoteId'))
    .mutation(idempotent('creditNotes.delete', deleteCreditNote)),
});
