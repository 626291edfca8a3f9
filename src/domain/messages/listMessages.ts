import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { MESSAGE_KINDS, MESSAGE_STATUSES } from '../../db/schema/events.ts';
import type { Ctx } from '../ctx.ts';
import { webhookRealm } from '../webhooks/realm.ts';

export const ListMessages = v.strictObject({
  kind: v.optional(v.picklist(MESSAGE_KINDS)),
  status: v.optional(v.picklist(MESSAGE_STATUSES)),
  userId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_147_483_647))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
  /** The `id` of the last row of the previous page (newest first). */
  cursor: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

export interface MessageView {
  id: number;
  kind: (typeof MESSAGE_KINDS)[number];
  userId: number | null;
  recipient: string;
  subject: string;
  reason: string;
  status: (typeof MESSAGE_STATUSES)[number];
  attempts: number;
  lastError: string;
  providerRef: string;
  createdAt: string;
  sentAt: string | null;
}

/**
 * tRPC messages.list: the e-mail and SMS of the caller's realm (the admin: every realm; a reseller:
 * its own), newest first, with their final state (`sent` with the provider's reference, or `failed`
 * with the last error) or `queued` with the attempts so far.
 */
export function listMessages(ctx: Ctx, input: v.InferOutput<typeof ListMessages>): Promise<MessageView[]> {
  const realm = webhookRealm(ctx.actor);
  return queryRows<MessageView>(
    ctx.db,
    sql`select id::int, kind, user_id as "userId", recipient, subject, reason, status, attempts, last_error as "lastError",
        provider_ref as "providerRef", created_at::text as "createdAt", sent_at::text as "sentAt"
      from messages
      where true ${realm === 0 ? sql`` : sql`and owner_id = ${realm}::int`}
        ${input.kind ? sql`and kind = ${input.kind}::text` : sql``}
        ${input.status ? sql`and status = ${input.status}::text` : sql``}
        ${input.userId !== undefined ? sql`and user_id = ${input.userId}::int` : sql``}
        ${input.cursor ? sql`and id < ${input.cursor}::bigint` : sql``}
      order by id desc limit ${input.limit ?? 100}::int`,
  );
}
