import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { UserId } from '../ids.ts';
import { NOT_AUTHORIZED, requireServices } from './access.ts';
import { resolveService, ServiceFields } from './fields.ts';
import { readServices, type ServiceView } from './view.ts';

export const CreateService = v.strictObject({
  ...ServiceFields,
  /** Admin only: the owner — 0 (the admin) or one of the admin's resellers. */
  ownerId: v.optional(UserId),
});
export type CreateService = v.InferOutput<typeof CreateService>;

export const USER_NOT_FOUND = 'User was not found';

/**
 * service_create, services.create. Owner: the admin's `ownerId` (itself or one of its resellers,
 * else NOT_FOUND `User was not found`, also when anyone else sends one), else the caller's realm (an
 * accountant's is the admin's). Then the fields in the page's order (fields.ts). No flat-rate
 * destinations yet; an action-log row `service_created`.
 */
export async function createService(ctx: Ctx, input: CreateService): Promise<ServiceView> {
  const { actor } = ctx;
  requireServices(actor, 2, NOT_AUTHORIZED);
  return withTransaction(ctx, async (tx) => {
    let ownerId = actor.usertype === 'reseller' ? actor.id : 0;
    if (input.ownerId !== undefined) {
      const id = Number.isSafeInteger(input.ownerId) ? input.ownerId : -1;
      const [owner] =
        actor.usertype === 'admin'
          ? await queryRows<{ id: number }>(
              tx.db,
              sql`select id from users where id = ${id}::int and (id = 0 or (usertype = 'reseller' and owner_id = 0))`,
            )
          : [];
      if (!owner) throw notFound('user', USER_NOT_FOUND);
      ownerId = owner.id;
    }
    const s = resolveService(input);
    const [row] = await queryRows<{ id: number }>(
      tx.db,
      sql`insert into services (owner_id, name, type, period, price, self_cost, quantity)
        values (${ownerId}::int, ${s.name}::text, ${s.type}::text, ${s.period}::text, ${s.price}::numeric,
          ${s.selfCost}::numeric, ${s.quantity}::int)
        returning id`,
    );
    await logAction(tx, { action: 'service_created', targetType: 'service', targetId: row!.id, data: s.name });
    const [view] = await readServices(tx, sql`sv.id = ${row!.id}::int`);
    return view!;
  });
}
