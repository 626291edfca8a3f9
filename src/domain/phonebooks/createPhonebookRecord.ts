import * as v from 'valibot';
import { phonebooks } from '../../db/schema/phonebooks.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { UserId } from '../ids.ts';
import { phonebookOwner, recordProblems, requirePhonebookAccess } from './phonebookAccess.ts';

export const CreatePhonebookRecord = v.object({
  /** The owner; the admin (0) makes a Global record. */
  userId: v.optional(UserId),
  number: v.optional(v.string()),
  name: v.optional(v.string()),
  speeddial: v.optional(v.string()),
});
export type CreatePhonebookRecord = v.InferOutput<typeof CreatePhonebookRecord>;

/** phonebook_record_create: one speed-dial record for a user within reach (first failed rule answers). */
export async function createPhonebookRecord(ctx: Ctx, input: CreatePhonebookRecord): Promise<{ id: number }> {
  requirePhonebookAccess(ctx, 2);
  return withTransaction(ctx, async (tx) => {
    const user = await phonebookOwner(tx, input.userId);
    const record = {
      userId: user.id,
      name: input.name ?? '',
      number: input.number ?? '',
      speeddial: input.speeddial ?? '',
    };
    const [problem] = await recordProblems(tx, record);
    if (problem) throw invalid('phonebook', problem);
    const [row] = await tx.db.insert(phonebooks).values(record).returning({ id: phonebooks.id });
    await logAction(tx, {
      action: 'phonebook_created',
      targetType: 'phonebook',
      targetId: row!.id,
      data: record.speeddial,
    });
    return { id: row!.id };
  });
}
