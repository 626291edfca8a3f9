import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { conflict, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { managedServices, NOT_AUTHORIZED_SERVICES, requireServices } from './access.ts';
import { SERVICE_NOT_FOUND } from './updateService.ts';

export const DeleteService = v.strictObject({ serviceId: v.optional(RowId) });
export type DeleteService = v.InferOutput<typeof DeleteService>;

export const HAS_SUBSCRIPTIONS = 'Cannot delete - some subscriptions to this service exist';

/**
 * service_delete, services.delete: a service in reach (a missing id too: NOT_FOUND) without any
 * subscription (active or not: CONFLICT) is deleted with its flat-rate destinations. The service row
 * is locked first and subscription_create locks it too, so a subscription made meanwhile cannot be
 * left without its service. Action-log row `service_deleted`.
 */
export async function deleteService(ctx: Ctx, input: DeleteService): Promise<{ id: number }> {
  const { actor } = ctx;
  requireServices(actor, 2, NOT_AUTHORIZED_SERVICES);
  return withTransaction(ctx, async (tx) => {
    const id = input.serviceId !== undefined && Number.isSafeInteger(input.serviceId) ? input.serviceId : -1;
    const [service] = await queryRows<{ id: number; name: string }>(
      tx.db,
      sql`select sv.id, sv.name from services sv where sv.id = ${id}::int and ${managedServices(actor)} for update`,
    );
    if (!service) throw notFound('service', SERVICE_NOT_FOUND);
    const [used] = await queryRows<{ id: number }>(
      tx.db,
      sql`select id from subscriptions where service_id = ${service.id}::int limit 1`,
    );
    if (used) throw conflict('service_subscriptions', HAS_SUBSCRIPTIONS);
    await queryRows(tx.db, sql`delete from service_destinations where service_id = ${service.id}::int`);
    await queryRows(tx.db, sql`delete from services where id = ${service.id}::int`);
    await logAction(tx, { action: 'service_deleted', targetType: 'service', targetId: service.id, data: service.name });
    return { id: service.id };
  });
}
