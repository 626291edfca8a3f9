import { asc, eq, inArray } from 'drizzle-orm';
import * as v from 'valibot';
import { phonebooks } from '../../db/schema/phonebooks.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { phonebookOwner, requirePhonebookAccess } from './phonebookAccess.ts';

export const ListPhonebooks = v.object({ userId: v.optional(UserId) });
export type ListPhonebooks = v.InferOutput<typeof ListPhonebooks>;

/** phonebooks_get: a user's own records plus the Global (admin's) ones, by name. */
export async function listPhonebooks(ctx: Ctx, input: ListPhonebooks) {
  requirePhonebookAccess(ctx, 1);
  const user = await phonebookOwner(ctx, input.userId);
  const rows = await ctx.db
    .select({ id: phonebooks.id, name: phonebooks.name, number: phonebooks.number, speeddial: phonebooks.speeddial })
    .from(phonebooks)
    .where(user.id === 0 ? eq(phonebooks.userId, 0) : inArray(phonebooks.userId, [user.id, 0]))
    .orderBy(asc(phonebooks.name), asc(phonebooks.id));
  if (rows.length === 0) throw notFound('phonebooks', 'No Phonebooks');
  return rows;
}
