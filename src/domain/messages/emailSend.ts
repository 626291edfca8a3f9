import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { visibleUsers } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { readConflines } from '../settings/writeConflines.ts';
import { queueMessage } from './queueMessage.ts';

/** Global setting (admin's conflines): `0` turns every e-mail sent through the API off. */
export const EMAIL_SENDING_SETTING = 'email_sending_enabled';

/** email_send's failure text: the documented prefix and the reason in parentheses. */
export const configurationError = (reason: string) =>
  new DomainError('INVALID', 'email_configuration', `Configuration error. Please consult this help link. (${reason})`);

/** `<%= name %>` → the sent value, anything the request does not send → empty. */
export function renderTemplate(template: string, variables: ReadonlyMap<string, string>): string {
  return template.replace(/<%=\s*([A-Za-z0-9_]+)\s*%>/g, (_, name: string) => variables.get(name) ?? '');
}

export interface EmailSendInput {
  emailName: string;
  /** Recipient user id as sent (absent: the caller). */
  toUserId?: string;
  variables: ReadonlyMap<string, string>;
}

export type EmailSendResult = { status: 'queued'; messageId: number } | { status: 'disabled' };

/**
 * email_send: renders the caller realm's template `emailName` with the sent variables and queues it to
 * the recipient's e-mail address (answered once queued: the `sendMessages` job sends and retries it).
 * Checks in the page's order: template of the realm (`Email not found`), recipient in reach (`User not
 * found`), e-mail sending on (else `disabled`, answered as a status), a mail transport and the
 * recipient's address (else `Configuration error …`).
 */
export async function emailSend(ctx: Ctx, input: EmailSendInput): Promise<EmailSendResult> {
  const { actor } = ctx;
  if (actor.usertype === 'user' || actor.usertype === 'partner') throw forbidden('email_send', 'Access Denied');
  const realm = actor.usertype === 'reseller' ? actor.id : 0;
  return withTransaction(ctx, async (tx) => {
    const [template] = await queryRows<{ subject: string; body: string }>(
      tx.db,
      sql`select subject, body from emails where owner_id = ${realm}::int and name = ${input.emailName}::text`,
    );
    if (!template) throw notFound('email', 'Email not found');
    const to = input.toUserId === undefined || input.toUserId === '' ? String(actor.id) : input.toUserId;
    const id = /^\d{1,9}$/.test(to) ? Number(to) : -1;
    const [recipient] = await queryRows<{ id: number; email: string }>(
      tx.db,
      sql`select users.id, coalesce(a.email, '') as email from users left join addresses a on a.id = users.address_id
        where users.id = ${id}::int and ${visibleUsers(actor)}`,
    );
    if (!recipient) throw notFound('user', 'User not found');
    const settings = await readConflines(tx, 0, [EMAIL_SENDING_SETTING]);
    if (settings[EMAIL_SENDING_SETTING] === '0') return { status: 'disabled' as const };
    if (!ctx.ports?.mail) throw configurationError('E-mail is not configured');
    if (!recipient.email) throw configurationError('The recipient has no e-mail address');
    const messageId = await queueMessage(tx, {
      kind: 'email',
      ownerId: realm,
      senderId: actor.id,
      userId: recipient.id,
      recipient: recipient.email,
      subject: renderTemplate(template.subject, input.variables),
      body: renderTemplate(template.body, input.variables),
      reason: input.emailName,
    });
    await logAction(tx, {
      action: 'email_send',
      targetType: 'user',
      targetId: recipient.id,
      data: `from user ${actor.id} for user ${recipient.id}`,
      data2: input.emailName,
    });
    return { status: 'queued' as const, messageId };
  });
}
