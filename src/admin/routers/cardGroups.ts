import { CreateCardGroup, createCardGroup } from '../../domain/cards/createCardGroup.ts';
import { GetCardGroup, getCardGroup, ListCardGroups, listCardGroups } from '../../domain/cards/listCardGroups.ts';
import { UpdateCardGroup, updateCardGroup } from '../../domain/cards/updateCardGroup.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Calling-card groups of the caller's realm: the admin, accountants with "Calling Card manage" (and
 * See Financial Data to change prices), resellers with the Calling Cards flag. Money: decimal strings.
 */
export const cardGroupsRouter = router({
  list: authed.input(idAs(ListCardGroups, 'cardGroupId')).query(({ ctx, input }) => listCardGroups(ctx.ctx, input)),
  get: authed.input(idAs(GetCardGroup, 'cardGroupId')).query(({ ctx, input }) => getCardGroup(ctx.ctx, input)),
  create: authed.input(strict(CreateCardGroup)).mutation(({ ctx, input }) => createCardGroup(ctx.ctx, input)),
  update: authed
    .input(idAs(UpdateCardGroup, 'cardGroupId'))
    .mutation(({ ctx, input }) => updateCardGroup(ctx.ctx, input)),
});
