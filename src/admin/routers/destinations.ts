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
import { authed, router } from '../trpc.ts';

const Id = v.object({ id: RowId });

/** Directions and Destinations (admin and accountants with Manage Tariffs write; resellers read). */
export const destinationsRouter = router({
  list: authed.input(v.optional(ListDestinations, {})).query(({ ctx, input }) => listDestinations(ctx.ctx, input)),
  create: authed.input(CreateDestination).mutation(({ ctx, input }) => createDestination(ctx.ctx, input)),
  /** Name, direction, type, group; the prefix never changes (rates keep a copy). */
  update: authed.input(UpdateDestination).mutation(({ ctx, input }) => updateDestination(ctx.ctx, input)),
  /** Refused while rates use the destination. */
  delete: authed.input(Id).mutation(({ ctx, input }) => deleteDestination(ctx.ctx, input.id)),
  listDirections: authed.query(({ ctx }) => listDirections(ctx.ctx)),
  createDirection: authed.input(CreateDirection).mutation(({ ctx, input }) => createDirection(ctx.ctx, input)),
  /** Deletes the direction and its destinations (refused while any has rates). */
  deleteDirection: authed.input(Id).mutation(({ ctx, input }) => deleteDirection(ctx.ctx, input.id)),
});
