import { DeleteRates, deleteRates } from '../../domain/rating/rates/deleteRates.ts';
import { ListRates, listRates } from '../../domain/rating/rates/listRates.ts';
import { UpsertRates, upsertRates } from '../../domain/rating/rates/upsertRates.ts';
import { authed, router } from '../trpc.ts';

/** Rates of one tariff. */
export const ratesRouter = router({
  /** One item per time band; `prefix` (starts with) and `search` (destination or group name); paged. */
  list: authed.input(ListRates).query(({ ctx, input }) => listRates(ctx.ctx, input)),
  /** Wholesale/provider rates, all-or-nothing: every invalid row is reported, nothing is written. */
  upsertMany: authed.input(UpsertRates).mutation(({ ctx, input }) => upsertRates(ctx.ctx, input)),
  delete: authed.input(DeleteRates).mutation(({ ctx, input }) => deleteRates(ctx.ctx, input)),
});
