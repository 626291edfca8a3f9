import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { listDestinationGroups } from '../../domain/rating/destinationGroups/listDestinationGroups.ts';
import {
  AssignDestinations,
  assignDestinations,
  CreateDestinationGroup,
  createDestinationGroup,
  deleteDestinationGroup,
  UpdateDestinationGroup,
  updateDestinationGroup,
} from '../../domain/rating/destinationGroups/saveDestinationGroup.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Destination groups: what retail tariffs and custom rates price. */
export const destinationGroupsRouter = router({
  list: authed.query(({ ctx }) => listDestinationGroups(ctx.ctx)),
  create: authed
    .input(strict(CreateDestinationGroup))
    .mutation(({ ctx, input }) => createDestinationGroup(ctx.ctx, input)),
  update: authed
    .input(strict(UpdateDestinationGroup))
    .mutation(({ ctx, input }) => updateDestinationGroup(ctx.ctx, input)),
  /** Its destinations become ungrouped; refused while retail or custom rates price the group. */
  delete: authed
    .input(strict(v.object({ id: RowId })))
    .mutation(({ ctx, input }) => deleteDestinationGroup(ctx.ctx, input.id)),
  /** Moves destinations into the group (0: out of any group). */
  assign: authed
    .input(idAs(AssignDestinations, 'destinationGroupId'))
    .mutation(({ ctx, input }) => assignDestinations(ctx.ctx, input)),
});
