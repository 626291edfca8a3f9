import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid, notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { managedServices, NOT_AUTHORIZED, requireServices } from './access.ts';
import { resolveService, ServiceFields, type ServiceValues } from './fields.ts';
import { readServices, type ServiceView } from './view.ts';

export const UpdateService = v.strictObject({
  serviceId: v.optional(RowId),
  ...ServiceFields,
});
export type UpdateService = v.InferOutput<typeof UpdateService>;

export const SERVICE_NOT_SELECTED = 'Service was not selected';
export const SERVICE_NOT_FOUND = 'Service was not found';

/**
 * service_update, services.update: the sent, non-empty fields change the service; the result is
 * validated like a new one. Subscriptions' past charges stay as they are (a new price applies to the
 * periods charged or invoiced from now on). Action-log row `service_updated`.
 */
export async function updateService(ctx: Ctx, input: UpdateService): Promise<ServiceView> {
  const { actor } = ctx;
  requireServices(actor, 2, NOT_AUTHORIZED);
  if (input.serviceId === undefined) throw invalid('service_id', SERVICE_NOT_SELECTED);
  return withTransaction(ctx, async (tx) => {
    const id = Number.isSafeInteger(input.serviceId) ? input.serviceId! : -1;
    const [current] = await queryRows<ServiceValues & { id: number }>(
      tx.db,
      sql`select sv.id, sv.name, sv.type, sv.period, sv.price::text as price, sv.self_cost::text as "selfCost",
          sv.quantity from services sv where sv.id = ${id}::int and ${managedServices(actor)} for update`,
    );
    if (!current) throw notFound('service', SERVICE_NOT_FOUND);
    const s = resolveService(input, current);
    await queryRows(
      tx.db,
      sql`update services set name = ${s.name}::text, type = ${s.type}::text, period = ${s.period}::text,
          price = ${s.price}::numeric, self_cost = ${s.selfCost}::numeric, quantity = ${s.quantity}::int
        where id = ${current.id}::int`,
    );
    await logAction(tx, { action: 'service_updated', targetType: 'service', targetId: current.id, data: s.name });
    const [view] = await readServices(tx, sql`sv.id = ${current.id}::int`);
    return view!;
  });
}
