import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { DELIVERY_STATUSES } from '../../db/schema/events.ts';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { loadWebhook } from './view.ts';

export const ListDeliveries = v.strictObject({
  id: RowId,
  status: v.optional(v.picklist(DELIVERY_STATUSES)),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
  /** The `deliveryId` of the last row of the previous page (newest first). */
  cursor: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

export interface DeliveryView {
  deliveryId: number;
  eventId: string;
  type: string;
  userId: number | null;
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  lastStatus: number | null;
  lastError: string;
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
}

const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** tRPC webhooks.deliveries: the webhook's deliveries, newest first, with their attempts and last answer. */
export async function listDeliveries(ctx: Ctx, input: v.InferOutput<typeof ListDeliveries>): Promise<DeliveryView[]> {
  const hook = await loadWebhook(ctx, input.id);
  return queryRows<DeliveryView>(
    ctx.db,
    sql`select d.id::int as "deliveryId", e.event_id::text as "eventId", e.type, d.user_id as "userId", d.status, d.attempts,
        d.last_status::int as "lastStatus", d.last_error as "lastError", ${iso('d.next_attempt_at')} as "nextAttemptAt",
        ${iso('d.delivered_at')} as "deliveredAt", ${iso('d.created_at')} as "createdAt"
      from webhook_deliveries d join outbox_events e on e.id = d.event_id
      where d.webhook_id = ${hook.id}::int ${input.status ? sql`and d.status = ${input.status}::text` : sql``}
        ${input.cursor ? sql`and d.id < ${input.cursor}::bigint` : sql``}
      order by d.id desc limit ${input.limit ?? 100}::int`,
  );
}
