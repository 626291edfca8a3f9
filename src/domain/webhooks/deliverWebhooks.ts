import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Job, JobCtx } from '../jobs/job.ts';
import { givesUp, retryDelayMs } from './backoff.ts';
import { deliveryBody, postDelivery } from './send.ts';

/** Deliveries claimed at once; one run keeps claiming until nothing is due or RUN_BUDGET_MS passed. */
export const BATCH = 20;
export const RUN_BUDGET_MS = 40_000;
/** A claim is a lease: a worker that dies mid-send loses it after this, and another retries. */
export const LEASE_MS = 60_000;

interface Claimed {
  id: number;
  url: string;
  secret: string;
  eventId: string;
  type: string;
  createdAt: string;
  payload: unknown;
  attempts: number;
  firstAttemptAt: string | null;
}

/**
 * Claims up to BATCH due deliveries, each the oldest pending one of its (webhook, user), so a user's
 * events reach a webhook in order: a later event waits while an earlier one is pending (retrying).
 * Events of no user (card.sold) are not ordered. The claim is a lease (`locked_until`) taken with
 * SKIP LOCKED, so instances running this at once never send one delivery twice at the same time.
 */
function claim(ctx: JobCtx, now: Date) {
  const at = now.toISOString();
  return queryRows<Claimed>(
    ctx.db,
    sql`with due as (
        select d.id from webhook_deliveries d join webhooks w on w.id = d.webhook_id and w.active
        where d.status = 'pending' and d.next_attempt_at <= ${at}::timestamptz
          and (d.locked_until is null or d.locked_until < ${at}::timestamptz)
          and not exists (select 1 from webhook_deliveries p
            where p.webhook_id = d.webhook_id and p.user_id = d.user_id and p.status = 'pending' and p.event_id < d.event_id)
        order by d.next_attempt_at, d.id limit ${BATCH}::int
        for update of d skip locked),
      claimed as (
        update webhook_deliveries d set locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_MS / 1000}::int),
          first_attempt_at = coalesce(d.first_attempt_at, ${at}::timestamptz)
        from due where d.id = due.id
        returning d.id, d.webhook_id, d.event_id, d.attempts, d.first_attempt_at)
      select c.id::int, w.url, w.secret, e.event_id::text as "eventId", e.type,
        to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", e.payload,
        c.attempts, to_char(c.first_attempt_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "firstAttemptAt"
      from claimed c join webhooks w on w.id = c.webhook_id join outbox_events e on e.id = c.event_id
      order by c.id`,
  );
}

/** Sends what is due; answers counts. */
export async function deliverDue(ctx: JobCtx): Promise<{ delivered: number; retrying: number; failed: number }> {
  const fetcher = ctx.ports?.fetch ?? fetch;
  const started = Date.now();
  const out = { delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    const now = ctx.clock();
    const batch = await claim(ctx, now);
    if (batch.length === 0) break;
    await Promise.all(
      batch.map(async (d) => {
        const result = await postDelivery(fetcher, d, {
          id: d.eventId,
          body: deliveryBody(d.type, d.createdAt, d.payload),
          now,
        });
        const attempts = d.attempts + 1;
        const first = new Date(d.firstAttemptAt ?? now.toISOString());
        const status = result.ok ? 'delivered' : givesUp(first, now) ? 'failed' : 'pending';
        out[status === 'pending' ? 'retrying' : status]++;
        const next = new Date(now.getTime() + (result.ok ? 0 : retryDelayMs(attempts)));
        await queryRows(
          ctx.db,
          sql`update webhook_deliveries set status = ${status}::text, attempts = ${attempts}::int,
              last_status = ${result.status}::smallint, last_error = ${result.error}::text, locked_until = null,
              next_attempt_at = ${next.toISOString()}::timestamptz,
              delivered_at = ${result.ok ? now.toISOString() : null}::timestamptz
            where id = ${d.id}::bigint`,
        );
        if (status === 'failed') ctx.log.warn('webhook delivery given up', { delivery: d.id, url: d.url });
      }),
    );
    if (Date.now() - started > RUN_BUDGET_MS) break;
  }
  return out;
}

/**
 * Every tick: sends the due webhook deliveries (signed, in order per user, retried with backoff for at
 * least 24 hours). Not claimed per period like the daily jobs: each delivery is claimed on its own.
 */
export const deliverWebhooksJob: Job = {
  name: 'deliverWebhooks',
  everyTick: true,
  periodOf: (now) => now.toISOString().slice(0, 16),
  run: (ctx) => deliverDue(ctx),
};
