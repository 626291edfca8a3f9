import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { addonActive } from '../callControl/addons.ts';
import { systemCurrency } from '../cards/credit.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DomainError } from '../errors.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';
import { queueMessage } from '../messages/queueMessage.ts';

export const SMS_ERRORS = {
  denied: 'Access Denied',
  subscribed: 'User is not subscribed to sms service',
  lcr: 'There is no such LCR',
  dst: 'Wrong destination',
  src: 'Wrong source',
  message: 'There is no message or it is empty',
  rate: 'System owner does not have rate for this destination',
  balance: 'Insufficient balance',
} as const;

const refuse = (detail: keyof typeof SMS_ERRORS) =>
  new DomainError(detail === 'denied' ? 'FORBIDDEN' : 'INVALID', detail, SMS_ERRORS[detail]);

/** Characters per SMS part. */
export const PART_LENGTH = 160;

export interface SmsSent {
  messageId: number;
  /** Price charged, 4 decimals. */
  price: string;
  currency: string;
}

/**
 * sms_send: a subscribed simple user sends one SMS. It is priced with the user's SMS tariff (longest
 * prefix of `dst`) × parts (ceil(characters / 160)), checked against balance + credit (credit -1 =
 * unlimited), charged through the ledger and queued in ONE transaction; the `sendMessages` job hands
 * it to the realm's SMS gateway and, should the gateway refuse it for 24 hours, refunds the charge.
 */
export async function sendSms(
  ctx: Ctx,
  input: { lcrId?: string; dst?: string; src?: string; message?: string },
): Promise<SmsSent> {
  const { actor } = ctx;
  if (actor.usertype !== 'user' || !(await addonActive(ctx, 'sms_addon'))) throw refuse('denied');
  return withTransaction(ctx, async (tx) => {
    const [sub] = await queryRows<{ tariffId: number }>(
      tx.db,
      sql`select sms_tariff_id as "tariffId" from sms_subscriptions where user_id = ${actor.id}::int and active`,
    );
    if (!sub) throw refuse('subscribed');
    const lcrId = input.lcrId && /^\d{1,9}$/.test(input.lcrId) ? Number(input.lcrId) : -1;
    const [lcr] = await queryRows(tx.db, sql`select 1 from sms_lcrs where id = ${lcrId}::int`);
    if (!lcr) throw refuse('lcr');
    const dst = (input.dst ?? '').trim();
    if (!/^\+?\d{1,32}$/.test(dst)) throw refuse('dst');
    const src = (input.src ?? '').trim();
    if (!src || src.length > 32) throw refuse('src');
    const text = input.message ?? '';
    if (text.trim() === '') throw refuse('message');
    const digits = dst.replace(/^\+/, '');
    const parts = Math.max(1, Math.ceil([...text].length / PART_LENGTH));
    const [rate] = await queryRows<{ price: string; affordable: boolean }>(
      tx.db,
      sql`select round(r.price * ${parts}::int, 6)::text as price,
          (u.credit = -1 or u.balance + u.credit >= r.price * ${parts}::int) as affordable
        from sms_rates r, users u
        where r.sms_tariff_id = ${sub.tariffId}::int and ${digits}::text like r.prefix || '%' and u.id = ${actor.id}::int
        order by length(r.prefix) desc limit 1`,
    );
    if (!rate) throw refuse('rate');
    if (!rate.affordable) throw refuse('balance');
    const messageId = await queueMessage(tx, {
      kind: 'sms',
      ownerId: actor.ownerId,
      senderId: actor.id,
      userId: actor.id,
      recipient: digits,
      sender: src,
      body: text,
      reason: 'sms_send',
    });
    await queryRows(tx.db, sql`update messages set price = ${rate.price}::numeric where id = ${messageId}::bigint`);
    await moveUserBalance(tx, actor.id, {
      amount: `-${rate.price}`,
      source: 'sms',
      sourceId: messageId,
      memo: `SMS to ${digits}, ${parts} part(s)`,
    });
    await logAction(tx, {
      action: 'sms_sent',
      targetType: 'sms',
      targetId: messageId,
      data: digits,
      data2: rate.price,
    });
    const [shown] = await queryRows<{ price: string }>(
      tx.db,
      sql`select round(${rate.price}::numeric, 4)::text as price`,
    );
    return { messageId, price: shown!.price, currency: await systemCurrency(tx) };
  });
}
