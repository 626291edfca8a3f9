import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { SetProviderCallerIdPool, setProviderCallerIdPool } from '../../domain/numberPools/callerIdSources.ts';
import { CreateProvider, createProvider } from '../../domain/providers/createProvider.ts';
import { DeleteProvider, deleteProvider } from '../../domain/providers/deleteProvider.ts';
import { getProvider, listProviders } from '../../domain/providers/listProviders.ts';
import { UpdateProvider, updateProvider } from '../../domain/providers/updateProvider.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const ProviderKey = v.object({ providerId: RowId });

/**
 * Providers (trunks), scoped like the providers XML methods: the admin and accountants with Manage
 * providers read the admin's, a reseller its own; only the admin creates, changes and deletes.
 * Field values are text as on the XML side; errors carry the same messages.
 */
export const providersRouter = router({
  list: authed.query(({ ctx }) => listProviders(ctx.ctx, {})),
  get: authed.input(idAs(ProviderKey, 'providerId')).query(({ ctx, input }) => getProvider(ctx.ctx, input)),
  create: authed.input(strict(CreateProvider)).mutation(async ({ ctx, input }) => {
    const { providerId } = await createProvider(ctx.ctx, input);
    return getProvider(ctx.ctx, { providerId });
  }),
  /** The given fields change (tech stays). */
  update: authed
    .input(idAs(v.object({ ...UpdateProvider.entries, providerId: RowId }), 'providerId'))
    .mutation(async ({ ctx, input }) => {
      await updateProvider(ctx.ctx, input);
      return getProvider(ctx.ctx, { providerId: input.providerId });
    }),
  /** Refused (CONFLICT) while a DID, an LCR or a call uses the provider. */
  delete: authed.input(idAs(DeleteProvider, 'providerId')).mutation(async ({ ctx, input }) => {
    await deleteProvider(ctx.ctx, input);
    return { id: input.providerId };
  }),
  /** The number pool each call through the provider presents its CallerID from (null: none). */
  setCallerIdPool: authed
    .input(idAs(SetProviderCallerIdPool, 'providerId'))
    .mutation(({ ctx, input }) => setProviderCallerIdPool(ctx.ctx, input)),
});
