import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { ServiceType } from '../../db/schema/finance.ts';
import type { Ctx } from '../ctx.ts';
import { seesPrices } from './access.ts';

/** A service as read back (money as decimal text in the system currency). */
export interface ServiceView {
  id: number;
  ownerId: number;
  name: string;
  memo: string;
  type: ServiceType;
  period: 'month' | 'day';
  /** Null for an accountant without "See financial data". */
  price: string | null;
  selfCost: string | null;
  /** Flat rates: minutes per period; 1 for the other types. */
  quantity: number;
  continueCall: boolean;
  /** Subscriptions of the service (any state). */
  subscriptions: number;
}

/** The services matching `where` (over alias `sv`), by id. */
export async function readServices(ctx: Ctx, where: SQL): Promise<ServiceView[]> {
  const rows = await queryRows<ServiceView>(
    ctx.db,
    sql`select sv.id, sv.owner_id as "ownerId", sv.name, sv.memo, sv.type, sv.period, sv.price::text as price,
        sv.self_cost::text as "selfCost", sv.quantity, sv.continue_call as "continueCall",
        (select count(*)::int from subscriptions s where s.service_id = sv.id) as subscriptions
      from services sv where ${where} order by sv.id`,
  );
  if (seesPrices(ctx.actor)) return rows;
  return rows.map((r) => ({ ...r, price: null, selfCost: null }));
}
