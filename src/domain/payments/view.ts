import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { notFound } from '../errors.ts';
import { actorZone } from '../users/actorZone.ts';

/** A payment as the APIs show it. Amounts are exact decimal text as stored (6 decimals). */
export interface PaymentView {
  id: number;
  /** The paying user; null for a calling card's payment. */
  userId: number | null;
  cardId: number | null;
  /** Realm that received the money: 0 the admin, else a reseller. */
  ownerId: number;
  /** The payer as MOR names it: first and last name, else username; a card's number. */
  user: string;
  paymenttype: string;
  /** The payment's currency; amount, tax, gross and fee are in it. */
  currency: string;
  /** Net (without tax). */
  amount: string;
  tax: string;
  gross: string;
  fee: string;
  /** Units of `currency` per system unit at creation: the balance moved by amount / exchangeRate. */
  exchangeRate: string;
  completed: boolean;
  confirmation: 'not_needed' | 'waiting' | 'confirmed';
  /** ISO 8601 (UTC). */
  dateAdded: string;
  /** When the money reached the balance (ISO 8601, UTC); null while waiting. */
  confirmedAt: string | null;
  transactionId: string;
  payerEmail: string;
  /** Private admin comment: empty for a simple user reading its own payment. */
  comment: string;
  commentsForUser: string;
  /** The user's balance around the payment (system currency); null until it is completed. */
  balanceBefore: string | null;
  balanceAfter: string | null;
  invoiceId: number | null;
  creditNoteId: number | null;
  subscriptionId: number | null;
  /** `dateAdded` and `confirmedAt` as `YYYY-MM-DD HH:MM:SS` in the reader's time zone ('' when unset). */
  dateLocal: string;
  confirmDateLocal: string;
}

const local = (column: SQL, tz: string) =>
  sql`coalesce(to_char(${column} at time zone ${tz}::text, 'YYYY-MM-DD HH24:MI:SS'), '')`;
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The select list of PaymentView over `payments p` joined by PAYMENT_JOINS. `tz` (IANA) renders the
 * local dates; `privateComments` false blanks the admin's comment. A payment completed without a
 * confirmation step (or recorded before confirmations existed) was confirmed when it was added.
 */
export function paymentColumns(tz: string, privateComments: boolean): SQL {
  const confirmed = sql`coalesce(p.confirmed_at, case when p.completed then p.date_added end)`;
  return sql`p.id, p.user_id as "userId", p.card_id as "cardId", p.owner_id as "ownerId",
    case when p.card_id is not null then coalesce(c.number, '') else coalesce(${niceUserSql('u', 'a')}, '') end as "user",
    p.paymenttype, p.currency, p.amount::text as amount, p.tax::text as tax, p.gross::text as gross,
    p.fee::text as fee, p.exchange_rate::text as "exchangeRate", p.completed, p.confirmation,
    ${iso(sql`p.date_added`)} as "dateAdded", ${iso(sql`p.confirmed_at`)} as "confirmedAt",
    p.transaction_id as "transactionId", p.payer_email as "payerEmail",
    ${privateComments ? sql`p.comment` : sql`''`} as comment, p.comments_for_user as "commentsForUser",
    p.balance_before::text as "balanceBefore", p.balance_after::text as "balanceAfter",
    p.invoice_id as "invoiceId", p.credit_note_id as "creditNoteId", p.subscription_id as "subscriptionId",
    ${local(sql`p.date_added`, tz)} as "dateLocal", ${local(confirmed, tz)} as "confirmDateLocal"`;
}

/** The joins paymentColumns reads (user, its address, the card). */
export const PAYMENT_JOINS = sql`left join users u on u.id = p.user_id
  left join addresses a on a.id = u.address_id
  left join cards c on c.id = p.card_id`;

/** One payment by id as PaymentView, read in the actor's time zone (no reach check: callers did it). */
export async function readPayment(ctx: Pick<Ctx, 'db' | 'actor'>, id: number): Promise<PaymentView> {
  const tz = await actorZone(ctx);
  const [row] = await queryRows<PaymentView>(
    ctx.db,
    sql`select ${paymentColumns(tz, ctx.actor.usertype !== 'user')} from payments p ${PAYMENT_JOINS}
      where p.id = ${id}::int`,
  );
  if (!row) throw notFound('payment', 'Payment was not found');
  return row;
}
