import { type SQL, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { UserId } from '../ids.ts';
import { actorZone } from '../users/actorZone.ts';
import { payingUsers, readablePayments, requirePayments } from './access.ts';
import { PAYMENT_JOINS, type PaymentView, paymentColumns } from './view.ts';

const Text = v.optional(v.pipe(v.string(), v.maxLength(255)));
const Amount = v.optional(v.pipe(v.string(), v.regex(/^[+-]?(\d{1,14}(\.\d{0,12})?|\.\d{1,12})$/, 'a decimal number')));
const Instant = v.optional(v.pipe(v.string(), v.isoTimestamp()));

export const ListPayments = v.strictObject({
  /** Payments of this user (refused when outside the caller's reach). */
  userId: v.optional(UserId),
  /** ISO 8601: added at or after `from`, at or before `till`. */
  from: Instant,
  till: Instant,
  /** Only payments added today in the caller's time zone (ignored when `from` or `till` is given). */
  today: v.optional(v.boolean()),
  /** Prefix of the transaction id. */
  transaction: Text,
  completed: v.optional(v.boolean()),
  /** Prefixes of the paying user's username, first and last name. */
  username: Text,
  firstName: Text,
  lastName: Text,
  /** Type label, any case (`Manual`, `paypal`, `Credit note` …). */
  paymenttype: Text,
  /** Net amount range in the payment's currency, inclusive. */
  amountMin: Amount,
  amountMax: Amount,
  currency: Text,
  /** Calling card number and PIN (card payments). */
  cardNumber: Text,
  cardPin: Text,
  /** Paging; without `limit` every match is returned (the XML API has no paging). */
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type ListPayments = v.InferOutput<typeof ListPayments>;

const prefix = (value: string) => `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Payments the caller may read matching every given filter, oldest first (payments_get,
 * payments.list): the admin and accountants with Payments the admin's realm, a reseller its realm and
 * its own payments, a simple user its own. Calling-card payments are included;
 * their payer is the card number. `total` counts every match. A `userId` outside reach: FORBIDDEN.
 */
export async function listPayments(ctx: Ctx, input: ListPayments): Promise<{ total: number; payments: PaymentView[] }> {
  const { actor } = ctx;
  requirePayments(actor, 1);
  const f = v.parse(ListPayments, input);
  const where: SQL[] = [readablePayments(actor)];
  if (f.userId !== undefined) {
    const [reachable] = await queryRows<{ id: number }>(
      ctx.db,
      sql`select u.id from users u where u.id = ${f.userId}::int and ${payingUsers(actor)}`,
    );
    if (!reachable) throw forbidden('payments', 'Access Denied');
    where.push(sql`p.user_id = ${f.userId}::int`);
  }
  const tz = await actorZone(ctx);
  if (f.from !== undefined || f.till !== undefined) {
    if (f.from !== undefined) where.push(sql`p.date_added >= ${f.from}::timestamptz`);
    if (f.till !== undefined) where.push(sql`p.date_added <= ${f.till}::timestamptz`);
  } else if (f.today) {
    const day = sql`date_trunc('day', ${ctx.clock().toISOString()}::timestamptz at time zone ${tz}::text)`;
    where.push(sql`p.date_added >= (${day} at time zone ${tz}::text)`);
    where.push(sql`p.date_added < ((${day} + interval '1 day') at time zone ${tz}::text)`);
  }
  if (f.transaction !== undefined) where.push(sql`p.transaction_id like ${prefix(f.transaction)}::text`);
  if (f.completed !== undefined) where.push(sql`p.completed = ${f.completed}::boolean`);
  if (f.username !== undefined) where.push(sql`u.username like ${prefix(f.username)}::text`);
  if (f.firstName !== undefined) where.push(sql`a.first_name like ${prefix(f.firstName)}::text`);
  if (f.lastName !== undefined) where.push(sql`a.last_name like ${prefix(f.lastName)}::text`);
  if (f.paymenttype !== undefined) where.push(sql`lower(p.paymenttype) = lower(${f.paymenttype}::text)`);
  if (f.amountMin !== undefined) where.push(sql`p.amount >= ${f.amountMin}::numeric`);
  if (f.amountMax !== undefined) where.push(sql`p.amount <= ${f.amountMax}::numeric`);
  if (f.currency !== undefined) where.push(sql`upper(p.currency) = upper(${f.currency}::text)`);
  if (f.cardNumber !== undefined) where.push(sql`c.number = ${f.cardNumber}::text`);
  if (f.cardPin !== undefined) where.push(sql`c.pin = ${f.cardPin}::text`);
  const rows = await queryRows<PaymentView & { total: number }>(
    ctx.db,
    sql`select ${paymentColumns(tz, actor.usertype !== 'user')}, count(*) over ()::int as total
      from payments p ${PAYMENT_JOINS}
      where ${sql.join(where, sql` and `)}
      order by p.date_added, p.id
      ${f.limit !== undefined ? sql`limit ${f.limit}::int` : sql``} offset ${f.offset ?? 0}::int`,
  );
  const total = rows[0]?.total ?? 0;
  return { total, payments: rows.map(({ total: _, ...row }) => row) };
}
