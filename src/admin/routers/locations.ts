import {
  CreateLocation,
  createLocation,
  DeleteLocation,
  deleteLocation,
  listLocations,
  UpdateLocation,
  updateLocation,
} from '../../domain/locations/locations.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Locations (where a caller is; devices point to one): the admin and accountants manage the admin's,
 * a reseller its own; location 1 (Global) is listed but neither renamed nor deleted. Their rules are
 * `locationRules.*`.
 */
export const locationsRouter = router({
  list: authed.query(({ ctx }) => listLocations(ctx.ctx)),
  create: authed.input(strict(CreateLocation)).mutation(({ ctx, input }) => createLocation(ctx.ctx, input)),
  update: authed.input(strict(UpdateLocation)).mutation(({ ctx, input }) => updateLocation(ctx.ctx, input)),
  delete: authed.input(strict(DeleteLocation)).mutation(async ({ ctx, input }) => {
    await deleteLocation(ctx.ctx, input);
    return { id: input.id };
  }),
});
