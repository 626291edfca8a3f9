import { fixed } from '../../domain/cards/money.ts';
import { createCreditNote } from '../../domain/creditNotes/createCreditNote.ts';
import { deleteCreditNote } from '../../domain/creditNotes/deleteCreditNote.ts';
import { listCreditNotes, NOTE_NOT_FOUND } from '../../domain/creditNotes/listCreditNotes.ts';
import { updateCreditNote } from '../../domain/creditNotes/updateCreditNote.ts';
import { defineMethod } from '../method.ts';
import { page, pageError } from '../xml.ts';
import { EVERYONE, guarded, idOf, refuse, unixTime } from './moneySupport.ts';

const common = {
  family: 'credit-notes',
  identity: 'caller',
  // Every caller reaches the method: the credit-note pages answer `Bad login` to those not allowed.
  callers: EVERYONE,
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
} as const;

const CALLER = {
  name: 'u',
  required: true,
  description: 'caller: admin, reseller, accountant with Manage invoices (and See financial data where money moves)',
};

export const creditNoteCreate = defineMethod({
  ...common,
  name: 'credit_note_create',
  summary: 'Issues an unpaid credit note to a user (the balance moves when it is marked paid).',
  hash: ['user_id', 'number'],
  access: 'write',
  movesMoney: true,
  params: [
    CALLER,
    { name: 'user_id', required: true, description: "user the note is for (caller's realm)" },
    { name: 'number', description: 'credit note number (free text)' },
    { name: 'price', required: true, description: 'amount without tax, system currency, may be negative (not hashed)' },
    { name: 'issue_date', required: true, description: 'Unix time (not hashed)' },
    { name: 'comment', description: 'comment (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(user_id + number + secret key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    await createCreditNote(ctx, {
      userId: idOf(params, 'user_id') ?? Number.NaN,
      number: params.value('number'),
      price: params.value('price') ?? '',
      issueDate: unixTime(params.value('issue_date')) ?? '',
      comment: params.value('comment'),
    });
    return page({ status: 'Credit note was created' });
  }),
});

export const creditNoteUpdate = defineMethod({
  ...common,
  name: 'credit_note_update',
  summary: 'Marks a credit note paid (payment created, balance += price) or unpaid again, or changes its comment.',
  hash: ['credit_note_id'],
  access: 'write',
  movesMoney: true,
  params: [
    CALLER,
    { name: 'credit_note_id', required: true, description: 'the note' },
    { name: 'status', description: '`paid` or `unpaid` (other values ignored; not hashed)' },
    { name: 'comment', description: 'replaces the comment; empty clears it (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(credit_note_id + secret key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    const status = params.value('status');
    await updateCreditNote(ctx, {
      creditNoteId: idOf(params, 'credit_note_id') ?? Number.NaN,
      status: status === 'paid' || status === 'unpaid' ? status : undefined,
      comment: params.get('comment'),
    });
    return page({ status: 'Credit note was updated' });
  }),
});

export const creditNoteDelete = defineMethod({
  ...common,
  name: 'credit_note_delete',
  summary: "Deletes a credit note; a paid note's payment stays and the balance is not restored.",
  hash: ['credit_note_id'],
  access: 'write',
  movesMoney: true,
  params: [
    CALLER,
    { name: 'credit_note_id', required: true, description: 'the note' },
    { name: 'hash', required: true, description: 'sha1(credit_note_id + secret key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    await deleteCreditNote(ctx, { creditNoteId: idOf(params, 'credit_note_id') ?? Number.NaN });
    return page({ status: 'Credit note was deleted' });
  }),
});

export const creditNotesGet = defineMethod({
  ...common,
  name: 'credit_notes_get',
  aliases: ['credit_notes'],
  summary: "Credit notes of the caller's users: one by id, one user's, or all; by id.",
  hash: ['user_id'],
  // The public PHP client hashes credit_note_id when it sends one; a read changes nothing.
  altHashes: [{ order: ['credit_note_id'] }],
  access: 'read',
  params: [
    CALLER,
    { name: 'user_id', description: 'notes of this user' },
    { name: 'credit_note_id', description: 'one note; wins over user_id (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(user_id + secret key), or sha1(credit_note_id + secret key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    // Simple users read their notes through the admin API only; the method answers them `Bad login`.
    if (ctx.actor.usertype === 'user' || ctx.actor.usertype === 'partner') refuse(pageError, 'Bad login');
    const { creditNotes } = await listCreditNotes(ctx, {
      creditNoteId: idOf(params, 'credit_note_id'),
      userId: idOf(params, 'user_id'),
    });
    if (creditNotes.length === 0) refuse(pageError, NOTE_NOT_FOUND);
    return page({
      credit_notes: {
        credit_note: creditNotes.map((n) => ({
          user_id: n.userId,
          issue_date: n.issueDateLocal,
          number: n.number,
          comment: n.comment,
          price: fixed(n.price),
          // An accountant without See financial data reads the reduced record.
          ...(n.priceWithVat === null ? {} : { price_with_vat: fixed(n.priceWithVat), pay_date: n.payDateLocal }),
          credit_note_id: n.id,
        })),
      },
    });
  }),
});
