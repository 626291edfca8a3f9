import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { CreateTariff, createTariff } from '../../domain/rating/tariffs/createTariff.ts';
import { deleteTariff } from '../../domain/rating/tariffs/deleteTariff.ts';
import { getTariff } from '../../domain/rating/tariffs/getTariff.ts';
import { ListTariffs, listTariffs } from '../../domain/rating/tariffs/listTariffs.ts';
import { UpdateTariff, updateTariff } from '../../domain/rating/tariffs/updateTariff.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const Id = v.object({ id: RowId });

/** Tariffs (provider, user retail, user wholesale), scoped by owner; money as decimal strings. */
export const tariffsRouter = router({
  list: authed.input(strict(v.optional(ListTariffs, {}))).query(({ ctx, input }) => listTariffs(ctx.ctx, input)),
  get: authed.input(strict(Id)).query(({ ctx, input }) => getTariff(ctx.ctx, input.id)),
  create: authed.input(strict(CreateTariff)).mutation(({ ctx, input }) => createTariff(ctx.ctx, input)),
  update: authed.input(strict(UpdateTariff)).mutation(({ ctx, input }) => updateTariff(ctx.ctx, input)),
  /** Refused while users have the tariff. Its rates go with it. */
  delete: authed.input(strict(Id)).mutation(({ ctx, input }) => deleteTariff(ctx.ctx, input.id)),
});
