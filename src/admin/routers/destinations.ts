import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { deleteDestination } from '../../domain/rating/destinations/deleteDestination.ts';
import {
  CreateDirection,
  createDirection,
  deleteDirection,
  listDirections,
} from '../../domain/rating/destinations/directions.ts';
import { ListDestinations, listDestinations } from '../../domain/rating/destinations/listDestinations.ts';
import {
  CreateDestination,
  createDestination,
  UpdateDestination,
  updateDestination,
} from '../../domain/rating/destinations/saveDestination.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const Id = v.object({ id: RowId });

/** Directions and Destinations (admin and accountants with Manage Tariffs write; resellers read). */
export const destinationsRouter = router({
  list: authed
    .input(strict(v.optional(ListDestinations, {})))
    .query(({ ctx, input }) => listDestinations(ctx.ctx, input)),
  create: authed.input(strict(CreateDestination)).mutation(({ ctx, input }) => createDestination(ctx.ctx, input)),
  /** Name, direction, type, group; the prefix never changes (rates keep a copy). */
  update: authed.input(strict(UpdateDestination)).mutation(({ ctx, input }) => updateDestination(ctx.ctx, input)),
  /** Refused while rates use the destination. */
  delete: authed.input(strict(Id)).mutation(({ ctx, input }) => deleteDestination(ctx.ctx, input.id)),
  listDirections: authed.query(({ ctx }) => listDirections(ctx.ctx)),
  createDirection: authed.input(strict(CreateDirection)).mutation(({ ctx, input }) => createDirection(ctx.ctx, input)),
  /** Deletes the direction and its destinations (refused while any has rates). */
  deleteDirection: authed.input(strict(Id)).mutation(({ ctx, input }) => deleteDirection(ctx.ctx, input.id)),
});
