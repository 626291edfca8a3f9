import { DeleteRates, deleteRates } from '../../domain/rating/rates/deleteRates.ts';
import { ListRates, listRates } from '../../domain/rating/rates/listRates.ts';
import { UpsertRates, upsertRates } from '../../domain/rating/rates/upsertRates.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Rates of one tariff. */
export const ratesRouter = router({
  /** One item per time band; `prefix` (starts with) and `search` (destination or group name); paged. */
  list: authed.input(strict(ListRates)).query(({ ctx, input }) => listRates(ctx.ctx, input)),
  /** Wholesale/provider rates, all-or-nothing: every invalid row is reported, nothing is written. */
  upsertMany: authed.input(strict(UpsertRates)).mutation(({ ctx, input }) => upsertRates(ctx.ctx, input)),
  delete: authed.input(strict(DeleteRates)).mutation(({ ctx, input }) => deleteRates(ctx.ctx, input)),
});
