import * as v from 'valibot';
import { CreateDialplan, createDialplan } from '../../domain/dialplans/createDialplan.ts';
import { deleteDialplan } from '../../domain/dialplans/deleteDialplan.ts';
import { listDialplans } from '../../domain/dialplans/listDialplans.ts';
import { addDidToDialplan, DidDialplan, removeDidFromDialplan } from '../../domain/dialplans/setDidDialplan.ts';
import { RowId } from '../../domain/ids.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Dial plans of the caller's realm. A DID in a Quickforwards dial plan (`dptype` `quickforwarddids`) is
 * a Quickforwards DID: quickforwards_dids_get offers it to users whose rule matches its number.
 */
export const dialplansRouter = router({
  /** With the number of DIDs in each. */
  list: authed.query(({ ctx }) => listDialplans(ctx.ctx)),
  create: authed.input(strict(CreateDialplan)).mutation(({ ctx, input }) => createDialplan(ctx.ctx, input)),
  /** Refused (CONFLICT) while DIDs are in it. */
  delete: authed.input(v.strictObject({ id: RowId })).mutation(({ ctx, input }) => deleteDialplan(ctx.ctx, input.id)),
  /** Puts a free DID (no device, no dial plan) into the dial plan. */
  addDid: authed.input(idAs(DidDialplan, 'dialplanId')).mutation(({ ctx, input }) => addDidToDialplan(ctx.ctx, input)),
  removeDid: authed
    .input(idAs(DidDialplan, 'dialplanId'))
    .mutation(({ ctx, input }) => removeDidFromDialplan(ctx.ctx, input)),
});
