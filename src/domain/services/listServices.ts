import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { managedServices, NOT_AUTHORIZED_SERVICES, requireServices } from './access.ts';
import { SERVICE_NOT_FOUND } from './updateService.ts';
import { readServices, type ServiceView } from './view.ts';

export const ListServices = v.optional(v.strictObject({}), {});
export const GetService = v.strictObject({ serviceId: RowId });
export type GetService = v.InferOutput<typeof GetService>;

/** services_get, services.list: every service the caller manages (Manage Services read), by id. */
export async function listServices(ctx: Ctx): Promise<ServiceView[]> {
  requireServices(ctx.actor, 1, NOT_AUTHORIZED_SERVICES);
  return readServices(ctx, managedServices(ctx.actor));
}

/** services.get: one service in reach, else NOT_FOUND. */
export async function getService(ctx: Ctx, input: GetService): Promise<ServiceView> {
  requireServices(ctx.actor, 1, NOT_AUTHORIZED_SERVICES);
  const id = Number.isSafeInteger(input.serviceId) ? input.serviceId : -1;
  const [view] = await readServices(ctx, sql`sv.id = ${id}::int and ${managedServices(ctx.actor)}`);
  if (!view) throw notFound('service', SERVICE_NOT_FOUND);
  return view;
}
