import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';

export interface NewMessage {
  kind: 'email' | 'sms';
  /** The realm whose settings send it (0 = the admin's). */
  ownerId: number;
  senderId: number | null;
  userId: number | null;
  recipient: string;
  /** SMS: the source (sender id); e-mail: empty = the configured From address. */
  sender?: string;
  subject?: string;
  body: string;
  reason: string;
}

/**
 * Queues an e-mail or SMS in the caller's transaction: once that commits, the message is durably
 * queued and the `sendMessages` job sends it (retrying failures). Answers its id.
 */
export async function queueMessage(ctx: Pick<Ctx, 'db'>, message: NewMessage): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into messages (kind, owner_id, sender_id, user_id, recipient, sender, subject, body, reason)
      values (${message.kind}::text, ${message.ownerId}::int, ${message.senderId}::int, ${message.userId}::int,
        ${message.recipient}::text, ${message.sender ?? ''}::text, ${message.subject ?? ''}::text, ${message.body}::text,
        ${message.reason}::text)
      returning id::int`,
  );
  return row!.id;
}
