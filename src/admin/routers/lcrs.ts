import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { CreateLcr, createLcr } from '../../domain/lcrs/createLcr.ts';
import { DeleteLcr, deleteLcr } from '../../domain/lcrs/deleteLcr.ts';
import { LcrFields } from '../../domain/lcrs/lcrFields.ts';
import { addLcrProvider, deleteLcrProvider } from '../../domain/lcrs/lcrProviders.ts';
import { getLcr, LcrKey, ListLcrs, lcrsInReach } from '../../domain/lcrs/listLcrs.ts';
import { updateLcr } from '../../domain/lcrs/updateLcr.ts';
import { authed, router } from '../trpc.ts';

const Link = v.strictObject({ id: RowId, providerId: RowId, failover: v.optional(v.boolean()) });

/**
 * LCRs (routing tables), scoped like the LCR XML methods: the admin and accountants with Manage
 * providers (read / write) work with the admin's LCRs, a reseller with its own. Field values are text as
 * on the XML side; errors carry the same messages.
 */
export const lcrsRouter = router({
  /** Every LCR in reach, or those named `name`; none is an empty list here. */
  list: authed
    .input(v.optional(v.strictObject(ListLcrs.entries), {}))
    .query(({ ctx, input }) => lcrsInReach(ctx.ctx, input)),
  /** One LCR with its providers (main list by priority, then the failover list). */
  get: authed.input(v.strictObject(LcrKey.entries)).query(({ ctx, input }) => getLcr(ctx.ctx, input)),
  create: authed.input(v.strictObject(CreateLcr.entries)).mutation(async ({ ctx, input }) => {
    const { lcrId } = await createLcr(ctx.ctx, input);
    return getLcr(ctx.ctx, { id: lcrId });
  }),
  /** The given fields change. */
  update: authed.input(v.strictObject({ id: RowId, ...LcrFields.entries })).mutation(async ({ ctx, input }) => {
    await updateLcr(ctx.ctx, input);
    return getLcr(ctx.ctx, { id: input.id });
  }),
  /** Refused while a user, a location rule or a card group routes by the LCR. */
  delete: authed.input(v.strictObject(DeleteLcr.entries)).mutation(async ({ ctx, input }) => {
    await deleteLcr(ctx.ctx, input);
    return { id: input.id };
  }),
  /** Adds a provider to the main list (or the failover list with `failover: true`). */
  addProvider: authed.input(Link).mutation(async ({ ctx, input }) => {
    await addLcrProvider(ctx.ctx, { ...input, failover: input.failover ? '1' : '0' });
    return getLcr(ctx.ctx, { id: input.id });
  }),
  deleteProvider: authed.input(Link).mutation(async ({ ctx, input }) => {
    await deleteLcrProvider(ctx.ctx, { ...input, failover: input.failover ? '1' : '0' });
    return getLcr(ctx.ctx, { id: input.id });
  }),
});
