import { AssignDid, assignDid } from '../../domain/dids/assignDid.ts';
import { CreateDid, CreateDidRange, createDid, createDidRange } from '../../domain/dids/createDid.ts';
import { ListDids, listDids } from '../../domain/dids/listDids.ts';
import { StopDidSubscription, stopDidSubscription } from '../../domain/dids/stopDidSubscription.ts';
import { UnassignDid, unassignDid } from '../../domain/dids/unassignDid.ts';
import { UpdateDidDetails, updateDidDetails } from '../../domain/dids/updateDidDetails.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** DIDs: dids_get, did_create (also by number range), assign/unassign, details, subscription stop. */
export const didsRouter = router({
  /** DIDs of the caller's realm, filtered, ordered by number, paginated. */
  list: authed.input(strict(ListDids)).query(({ ctx, input }) => listDids(ctx.ctx, input)),
  create: authed.input(strict(CreateDid)).mutation(({ ctx, input }) => createDid(ctx.ctx, input)),
  /** Every number from `from` to `to` (equal length, at most 10,000) not yet in use becomes a free DID. */
  createRange: authed.input(strict(CreateDidRange)).mutation(({ ctx, input }) => createDidRange(ctx.ctx, input)),
  assign: authed.input(strict(AssignDid)).mutation(({ ctx, input }) => assignDid(ctx.ctx, input)),
  unassign: authed.input(idAs(UnassignDid, 'didId')).mutation(({ ctx, input }) => unassignDid(ctx.ctx, input)),
  /** Details; `didUserId` hands the DID to a reseller, reserves it for a user, or (-1) frees it. */
  update: authed.input(idAs(UpdateDidDetails, 'didId')).mutation(({ ctx, input }) => updateDidDetails(ctx.ctx, input)),
  stopSubscription: authed
    .input(idAs(StopDidSubscription, 'didId'))
    .mutation(({ ctx, input }) => stopDidSubscription(ctx.ctx, input)),
});
