import { CreatePhonebookRecord, createPhonebookRecord } from '../../domain/phonebooks/createPhonebookRecord.ts';
import { EditPhonebook, editPhonebook } from '../../domain/phonebooks/editPhonebook.ts';
import { ListPhonebooks, listPhonebooks } from '../../domain/phonebooks/listPhonebooks.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Speed-dial records: a user's own plus the Global (admin's) ones. */
export const phonebooksRouter = router({
  list: authed.input(strict(ListPhonebooks)).query(({ ctx, input }) => listPhonebooks(ctx.ctx, input)),
  /** `userId` 0 (admin) makes a Global record. */
  create: authed
    .input(strict(CreatePhonebookRecord))
    .mutation(({ ctx, input }) => createPhonebookRecord(ctx.ctx, input)),
  edit: authed.input(idAs(EditPhonebook, 'phonebookId')).mutation(({ ctx, input }) => editPhonebook(ctx.ctx, input)),
});
