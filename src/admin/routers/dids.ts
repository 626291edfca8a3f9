import { AssignDid, assignDid } from '../../domain/dids/assignDid.ts';
import { CreateDid, CreateDidRange, createDid, createDidRange } from '../../domain/dids/createDid.ts';
import { ListDids, listDids } from '../../domain/dids/listDids.ts';
import { StopDidSubscription, stopDidSubscription } from '../../domain/dids/stopDidSubscription.ts';
import { UnassignDid, unassignDid } from '../../domain/dids/unassignDid.ts';
import { UpdateDidDetails, updateDidDetails } from '../../domain/dids/updateDidDetails.ts';
import { authed, router } from '../trpc.ts';

/** DIDs: dids_get, did_create (also by number range), assign/unassign, details, subscription stop. */
export const didsRouter = router({
  /** DIDs of the caller's realm, filtered, ordered by number, paginated. */
  list: authed.input(ListDids).query(({ ctx, input }) => listDids(ctx.ctx, input)),
  create: authed.input(CreateDid).mutation(({ ctx, input }) => createDid(ctx.ctx, input)),
  /** Every number from `from` to `to` (equal length, at most 10,000) not yet in use becomes a free DID. */
  createRange: authed.input(CreateDidRange).mutation(({ ctx, input }) => createDidRange(ctx.ctx, input)),
  assign: authed.input(AssignDid).mutation(({ ctx, input }) => assignDid(ctx.ctx, input)),
  unassign: authed.input(UnassignDid).mutation(({ ctx, input }) => unassignDid(ctx.ctx, input)),
  /** Details; `didUserId` hands the DID to a reseller, reserves it for a user, or (-1) frees it. */
  update: authed.input(UpdateDidDetails).mutation(({ ctx, input }) => updateDidDetails(ctx.ctx, input)),
  stopSubscription: authed.input(StopDidSubscription).mutation(({ ctx, input }) => stopDidSubscription(ctx.ctx, input)),
});
