import { CreateService, createService } from '../../domain/services/createService.ts';
import { DeleteService, deleteService } from '../../domain/services/deleteService.ts';
import { GetService, getService, ListServices, listServices } from '../../domain/services/listServices.ts';
import { UpdateService, updateService } from '../../domain/services/updateService.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Services, scoped like the services XML methods: the admin every service, a reseller its own, an
 * accountant with Manage Services the admin's (prices only with See financial data). Money is decimal
 * text in the system currency; errors carry the XML pages' messages.
 */
export const servicesRouter = router({
  list: authed.input(strict(ListServices)).query(({ ctx }) => listServices(ctx.ctx)),
  get: authed.input(idAs(GetService, 'serviceId')).query(({ ctx, input }) => getService(ctx.ctx, input)),
  /** `ownerId`: admin only, 0 or one of its resellers. Flat rates need `quantity` (minutes). */
  create: authed.input(strict(CreateService)).mutation(({ ctx, input }) => createService(ctx.ctx, input)),
  /** The given, non-empty fields change; the result is validated like a new service. */
  update: authed.input(idAs(UpdateService, 'serviceId')).mutation(({ ctx, input }) => updateService(ctx.ctx, input)),
  /** Only a service without subscriptions (CONFLICT otherwise). */
  delete: authed.input(idAs(DeleteService, 'serviceId')).mutation(({ ctx, input }) => deleteService(ctx.ctx, input)),
});
