import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { emitEvent } from '../events/emit.ts';
import type { Job, JobCtx } from '../jobs/job.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';
import { givesUp, retryDelayMs } from '../webhooks/backoff.ts';
import { smsRoute } from './smsRoute.ts';

export const BATCH = 10;
export const RUN_BUDGET_MS = 40_000;
export const LEASE_MS = 120_000;

interface Claimed {
  id: number;
  kind: 'email' | 'sms';
  ownerId: number;
  userId: number | null;
  senderId: number | null;
  recipient: string;
  sender: string;
  subject: string;
  body: string;
  reason: string;
  attempts: number;
  createdAt: string;
  /** What the sender was charged (SMS), refunded when the message finally fails. */
  price: string | null;
}

/** Claims due queued messages (lease + SKIP LOCKED: one sender per message across instances). */
function claim(ctx: JobCtx, now: Date) {
  const at = now.toISOString();
  return queryRows<Claimed>(
    ctx.db,
    sql`with due as (
        select id from messages
        where status = 'queued' and next_attempt_at <= ${at}::timestamptz
          and (locked_until is null or locked_until < ${at}::timestamptz)
        order by next_attempt_at, id limit ${BATCH}::int for update skip locked)
      update messages m set locked_until = ${at}::timestamptz + make_interval(secs => ${LEASE_MS / 1000}::int)
      from due where m.id = due.id
      returning m.id::int, m.kind, m.owner_id as "ownerId", m.user_id as "userId", m.sender_id as "senderId", m.recipient, m.sender, m.subject,
        m.body, m.reason, m.attempts, m.price::text as price, to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"`,
  );
}

/** Hands one message to its transport; answers the provider's reference, or throws. */
async function sendOne(ctx: JobCtx, m: Claimed): Promise<string> {
  if (m.kind === 'email') {
    const mail = ctx.ports?.mail;
    if (!mail) throw new Error('E-mail is not configured (SMTP_URL or MAIL_API_URL)');
    const from = m.sender || ctx.ports?.mailFrom || 'openmor@localhost';
    return (await mail.send({ from, to: m.recipient, subject: m.subject, text: m.body })).messageId;
  }
  const gateway = ctx.ports?.sms;
  const route = await smsRoute(ctx.db, m.ownerId);
  if (!gateway || !route) throw new Error('No SMS gateway is configured');
  return (await gateway.send(route, { from: m.sender, to: m.recipient, text: m.body, id: String(m.id) })).reference;
}

/**
 * Sends the due messages: success → `sent` (+ `message.sent` event), failure → retried with the
 * webhooks' backoff, and after 24 hours of failures `failed` (+ `message.failed`). The first attempt
 * counts from the message's creation.
 */
export async function sendDue(ctx: JobCtx): Promise<{ sent: number; retrying: number; failed: number }> {
  const started = Date.now();
  const out = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const now = ctx.clock();
    const batch = await claim(ctx, now);
    if (batch.length === 0) break;
    for (const m of batch) {
      let reference = '';
      let error = '';
      try {
        reference = await sendOne(ctx, m);
      } catch (e) {
        error = String((e as Error)?.message ?? e).slice(0, 500) || 'failed';
      }
      const attempts = m.attempts + 1;
      const status = !error ? 'sent' : givesUp(new Date(m.createdAt), now) ? 'failed' : 'queued';
      out[status === 'queued' ? 'retrying' : status]++;
      const next = new Date(now.getTime() + (error ? retryDelayMs(attempts) : 0));
      await ctx.db.transaction(async (tx) => {
        const db = tx as unknown as Db;
        await queryRows(
          db,
          sql`update messages set status = ${status}::text, attempts = ${attempts}::int, last_error = ${error}::text,
              provider_ref = ${reference}::text, locked_until = null, next_attempt_at = ${next.toISOString()}::timestamptz,
              sent_at = ${status === 'sent' ? now.toISOString() : null}::timestamptz
            where id = ${m.id}::bigint`,
        );
        if (status === 'failed' && m.price !== null && m.userId !== null && m.senderId === m.userId) {
          await moveUserBalance({ db, ip: '' }, m.userId, {
            amount: m.price,
            source: 'sms_refund',
            sourceId: m.id,
            memo: 'SMS not delivered',
          });
        }
        if (status !== 'queued') {
          await emitEvent(
            { db },
            {
              type: status === 'sent' ? 'message.sent' : 'message.failed',
              realmId: m.ownerId,
              userId: m.userId,
              payload: {
                messageId: m.id,
                kind: m.kind,
                reason: m.reason,
                recipient: m.recipient,
                attempts,
                ...(error ? { error } : { reference }),
              },
            },
          );
        }
      });
      if (status === 'failed') ctx.log.warn('message given up', { message: m.id, kind: m.kind, error });
    }
    if (Date.now() - started > RUN_BUDGET_MS) break;
  }
  return out;
}

/** Every tick: sends queued e-mail and SMS (see sendDue). */
export const sendMessagesJob: Job = {
  name: 'sendMessages',
  everyTick: true,
  periodOf: (now) => now.toISOString().slice(0, 16),
  run: (ctx) => sendDue(ctx),
};
