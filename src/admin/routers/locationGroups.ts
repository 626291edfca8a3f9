import {
  CreateLocationGroup,
  createLocationGroup,
  DeleteLocationGroup,
  deleteLocationGroup,
  listLocationGroups,
  UpdateLocationGroup,
  updateLocationGroup,
} from '../../domain/locations/locationGroups.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Location groups: named CallerID prefix lists that combined location rules name
 * (`locationRules.create({ lrType: 'combined', locationGroupId })`). The admin and accountants manage
 * the admin's, a reseller its own.
 */
export const locationGroupsRouter = router({
  list: authed.query(({ ctx }) => listLocationGroups(ctx.ctx)),
  create: authed.input(strict(CreateLocationGroup)).mutation(({ ctx, input }) => createLocationGroup(ctx.ctx, input)),
  update: authed.input(strict(UpdateLocationGroup)).mutation(({ ctx, input }) => updateLocationGroup(ctx.ctx, input)),
  delete: authed.input(strict(DeleteLocationGroup)).mutation(async ({ ctx, input }) => {
    await deleteLocationGroup(ctx.ctx, input);
    return { id: input.id };
  }),
});
