import { DeleteQuickforward, deleteQuickforward } from '../../domain/quickforwards/deleteQuickforward.ts';
import { listQuickforwards } from '../../domain/quickforwards/listQuickforwards.ts';
import { UpdateQuickforward, updateQuickforward } from '../../domain/quickforwards/updateQuickforward.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** The token account's own Quickforwards DIDs and forward numbers. */
export const quickforwardsRouter = router({
  list: authed.query(({ ctx }) => listQuickforwards(ctx.ctx)),
  update: authed.input(strict(UpdateQuickforward)).mutation(({ ctx, input }) => updateQuickforward(ctx.ctx, input)),
  delete: authed.input(strict(DeleteQuickforward)).mutation(({ ctx, input }) => deleteQuickforward(ctx.ctx, input)),
});
