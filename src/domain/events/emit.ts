import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';

/**
 * The event types of the outbox. Ledger movements, payments and card sales are written by statement
 * triggers (migration `outbox_triggers`), so no path that moves money can miss them; the others by
 * emitEvent from the operation that causes them.
 */
export const EVENT_TYPES = [
  'payment.created',
  'balance.changed',
  'call.charged',
  'balance.low',
  'card.sold',
  'user.registered',
  'message.sent',
  'message.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  type: EventType;
  /** The realm of the user concerned (0 = the admin's, else the owning reseller). */
  realmId: number;
  userId: number | null;
  payload: Record<string, unknown>;
}

/**
 * Appends an event to the outbox. Call it with the transaction of the change it reports: the event
 * exists exactly when its cause committed (and its webhook deliveries with it).
 */
export async function emitEvent(ctx: Pick<Ctx, 'db'>, event: NewEvent): Promise<{ id: number; eventId: string }> {
  const [row] = await queryRows<{ id: number; eventId: string }>(
    ctx.db,
    sql`insert into outbox_events (type, realm_id, user_id, payload)
      values (${event.type}::text, ${event.realmId}::int, ${event.userId}::int, ${JSON.stringify(event.payload)}::jsonb)
      returning id::int as id, event_id::text as "eventId"`,
  );
  return row!;
}
