import * as v from 'valibot';
import { RowId, UserId } from '../../domain/ids.ts';
import { ListCustomRates, listCustomRates } from '../../domain/rating/customRates/listCustomRates.ts';
import { deleteCustomRate, SetCustomRate, setCustomRate } from '../../domain/rating/customRates/setCustomRate.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const Key = v.object({ userId: UserId, destinationGroupId: RowId });

/** A user's custom rates (checked before the tariff; retail users only; prices in the user's currency). */
export const customRatesRouter = router({
  list: authed.input(strict(ListCustomRates)).query(({ ctx, input }) => listCustomRates(ctx.ctx, input)),
  /** Sets (replaces) the bands of one group. */
  set: authed.input(strict(SetCustomRate)).mutation(({ ctx, input }) => setCustomRate(ctx.ctx, input)),
  delete: authed.input(strict(Key)).mutation(({ ctx, input }) => deleteCustomRate(ctx.ctx, input)),
});
