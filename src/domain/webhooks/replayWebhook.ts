import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { loadWebhook } from './view.ts';

export const ReplayWebhook = v.strictObject({
  id: RowId,
  /** Events created at or after this instant (ISO 8601) … */
  since: v.pipe(v.string(), v.isoTimestamp('Must be an ISO 8601 timestamp')),
  /** … and before this one (default: now). */
  until: v.optional(v.pipe(v.string(), v.isoTimestamp('Must be an ISO 8601 timestamp'))),
});

/**
 * tRPC webhooks.replay: queues the webhook's events of a period again (those it wants: its realm, its
 * event types), delivered or not, as new attempts in event order — also events from before the
 * webhook existed. Answers how many deliveries were queued.
 */
export async function replayWebhook(ctx: Ctx, input: v.InferOutput<typeof ReplayWebhook>): Promise<{ queued: number }> {
  return withTransaction(ctx, async (tx) => {
    const hook = await loadWebhook(tx, input.id);
    const now = ctx.clock().toISOString();
    const [row] = await queryRows<{ queued: number }>(
      tx.db,
      sql`with w as (select id, owner_id, event_types from webhooks where id = ${hook.id}::int),
        q as (insert into webhook_deliveries (webhook_id, event_id, user_id, next_attempt_at)
          select w.id, e.id, e.user_id, ${now}::timestamptz from outbox_events e, w
          where e.created_at >= ${input.since}::timestamptz and e.created_at < ${input.until ?? now}::timestamptz
            and (w.owner_id = 0 or e.realm_id = w.owner_id)
            and (cardinality(w.event_types) = 0 or e.type = any (w.event_types))
          order by e.id
          on conflict (webhook_id, event_id) do update set status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
            locked_until = null, first_attempt_at = null, delivered_at = null, last_status = null, last_error = ''
          returning 1)
        select count(*)::int as queued from q`,
    );
    await logAction(tx, { action: 'webhook_replayed', targetType: 'webhook', targetId: hook.id, data: input.since });
    return { queued: row?.queued ?? 0 };
  });
}
