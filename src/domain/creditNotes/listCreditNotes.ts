import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId, UserId } from '../ids.ts';
import { actorZone } from '../users/actorZone.ts';
import { noteUsers, requireNotes, seesFinancialData } from './access.ts';
import { type CreditNoteView, noteColumns } from './view.ts';

export const ListCreditNotes = v.strictObject({
  /** One note; wins over `userId`. */
  creditNoteId: v.optional(RowId),
  /** The notes of one user. */
  userId: v.optional(UserId),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type ListCreditNotes = v.InferOutput<typeof ListCreditNotes>;

export const NOTE_NOT_FOUND = 'Credit note was not found';

/**
 * Credit notes of users in the caller's reach, by id (credit_notes_get, creditNotes.list): one note
 * when `creditNoteId` is given, else one user's when `userId` is, else all. The admin and accountants
 * with Manage invoices read the admin's realm (accountants without See financial data get the reduced
 * record), a reseller its users', a simple user its own. Ids that are not numbers match nothing.
 */
export async function listCreditNotes(
  ctx: Ctx,
  input: ListCreditNotes,
): Promise<{ total: number; creditNotes: CreditNoteView[] }> {
  const { actor } = ctx;
  requireNotes(actor, { invoices: 1 }, true);
  const where: SQL[] = [noteUsers(actor)];
  const id = (n: number) => (Number.isSafeInteger(n) && n >= 0 && n <= 2_147_483_647 ? n : -1);
  if (input.creditNoteId !== undefined) where.push(sql`n.id = ${id(input.creditNoteId)}::int`);
  else if (input.userId !== undefined) where.push(sql`n.user_id = ${id(input.userId)}::int`);
  const tz = await actorZone(ctx);
  const rows = await queryRows<CreditNoteView & { total: number }>(
    ctx.db,
    sql`select ${noteColumns(tz, seesFinancialData(actor))}, count(*) over ()::int as total
      from credit_notes n join users u on u.id = n.user_id
      where ${sql.join(where, sql` and `)}
      order by n.id
      ${input.limit !== undefined ? sql`limit ${input.limit}::int` : sql``} offset ${input.offset ?? 0}::int`,
  );
  return { total: rows[0]?.total ?? 0, creditNotes: rows.map(({ total: _, ...row }) => row) };
}

export const GetCreditNote = v.strictObject({ creditNoteId: RowId });
export type GetCreditNote = v.InferOutput<typeof GetCreditNote>;

/** One credit note in the caller's reach (creditNotes.get); NOT_FOUND otherwise. */
export async function getCreditNote(ctx: Ctx, input: GetCreditNote): Promise<CreditNoteView> {
  const { creditNotes } = await listCreditNotes(ctx, { creditNoteId: input.creditNoteId });
  const note = creditNotes[0];
  if (!note) throw notFound('credit_note', NOTE_NOT_FOUND);
  return note;
}
