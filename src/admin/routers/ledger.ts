import * as v from 'valibot';
import { ListMovements, listMovements } from '../../domain/ledger/listMovements.ts';
import { reconcile } from '../../domain/ledger/reconcile.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** The ledger: every movement of a balance, and the proof that balances match it. */
export const ledgerRouter = router({
  /** Movements the caller may read, newest first; `nextCursor` pages on. */
  list: authed.input(strict(v.optional(ListMovements, {}))).query(({ ctx, input }) => listMovements(ctx.ctx, input)),
  /** For every account in reach: balance = sum of movements = last movement's balanceAfter; names differences. */
  reconcile: authed.query(({ ctx }) => reconcile(ctx.ctx)),
});
