import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { phonebooks } from '../../db/schema/phonebooks.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { Problems } from '../devices/problems.ts';
import { isId } from '../devices/reach.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { phonebookOwner, recordProblems, requirePhonebookAccess } from './phonebookAccess.ts';

export const EditPhonebook = v.object({
  phonebookId: RowId,
  number: v.optional(v.string()),
  name: v.optional(v.string()),
  speeddial: v.optional(v.string()),
});
export type EditPhonebook = v.InferOutput<typeof EditPhonebook>;

/**
 * phonebook_edit: changes the sent fields of a record within reach; Global records only by the
 * admin. The resulting record must pass every rule (all failures reported).
 */
export async function editPhonebook(ctx: Ctx, input: EditPhonebook): Promise<void> {
  requirePhonebookAccess(ctx, 2);
  await withTransaction(ctx, async (tx) => {
    const [record] = isId(input.phonebookId)
      ? await tx.db.select().from(phonebooks).where(eq(phonebooks.id, input.phonebookId)).for('update')
      : [];
    if (!record) throw notFound('phonebook', 'Phonebook was not found');
    if (record.userId === 0 && tx.actor.usertype !== 'admin') throw forbidden('phonebook', 'Access Denied');
    try {
      await phonebookOwner(tx, record.userId);
    } catch (error) {
      if (error instanceof DomainError) throw forbidden('phonebook', 'Access Denied');
      throw error;
    }
    const next = {
      userId: record.userId,
      name: input.name ?? record.name,
      number: input.number ?? record.number,
      speeddial: input.speeddial ?? record.speeddial,
    };
    const problems = await recordProblems(tx, next, record.id);
    if (problems.length > 0) throw new Problems('Phonebook was not saved', problems);
    await tx.db
      .update(phonebooks)
      .set({ name: next.name, number: next.number, speeddial: next.speeddial })
      .where(eq(phonebooks.id, record.id));
    await logAction(tx, {
      action: 'phonebook_edited',
      targetType: 'phonebook',
      targetId: record.id,
      data: next.speeddial,
    });
  });
}
