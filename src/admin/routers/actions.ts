import { ListActions, listActions } from '../../domain/actions/listActions.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** The action log (MOR's "Actions"): who did what to which target, scoped by realm. */
export const actionsRouter = router({
  /** Filters AND-ed: `userId` (who), `action`, `targetType`/`targetId`, `from`…`till`; newest first, paged. */
  list: authed.input(strict(ListActions)).query(({ ctx, input }) => listActions(ctx.ctx, input)),
});
