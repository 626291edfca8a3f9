import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../ctx.ts';
import { moveUserBalance } from '../ledger/moveBalance.ts';

/** A period of a subscription that is due and not charged yet. */
export interface DueCharge {
  subscriptionId: number;
  userId: number;
  /** Calendar dates in the system time zone, both included. */
  periodStart: string;
  periodEnd: string;
  /** Positive: taken from the balance (system currency, 6 decimals, discount taken off). */
  amount: string;
  service: string;
}

export interface DueQuery {
  /** The system time zone (IANA). */
  zone: string;
  /** Charges due on or before this calendar date (system time zone). */
  today: string;
  /** Only periods ending on or after this date (the job's look-back window); null: no bound. */
  since: string | null;
  /** Only this subscription. */
  subscriptionId?: number;
}

/**
 * The prepaid charges due by `today` and not yet made (postpaid users pay their subscriptions through
 * the invoice, never here). Periods, in the system time zone:
 * - one-time fee: one charge, the service price, due on the activation start date;
 * - periodic fee by day: each activation day, the daily price, due that day;
 * - by month (periodic fee by month, flat rate, dynamic flat rate): calendar months; the price ×
 *   (activation days in the month / days of the month), due on the first activation day of the month
 *   (`charge_balance_on` 1) or the day after the month ends (2); with `charge_balance_on` 3 each
 *   activation day is charged the monthly price / days of its month, due that day.
 * The subscription's discount percent is taken off (as on invoices: sum = gross − round(gross × %, 6)).
 * Periods that ended before the subscription was created are skipped unless `charge_for_past`; a
 * period's key is its first calendar day (the month's first day for monthly periods), so the unique
 * index on (subscription, period start) makes every period chargeable once. Amounts of zero are not
 * charged.
 */
export async function dueCharges(db: Db, q: DueQuery): Promise<DueCharge[]> {
  const zone = sql`${q.zone}::text`;
  const today = sql`${q.today}::date`;
  const since = q.since === null ? sql`'-infinity'::date` : sql`${q.since}::date`;
  const only = q.subscriptionId === undefined ? sql`true` : sql`s.id = ${q.subscriptionId}::int`;
  return queryRows<DueCharge>(
    db,
    sql`with s as (
        select s.id, s.user_id, s.discount_percent, s.charge_balance_on, s.charge_for_past, sv.type, sv.period,
          sv.price, sv.name, (s.activation_start at time zone ${zone})::date as a_start,
          (s.activation_end at time zone ${zone})::date as a_end, (s.created_at at time zone ${zone})::date as created
        from subscriptions s
        join services sv on sv.id = s.service_id
        join users u on u.id = s.user_id
        where ${only} and not u.postpaid and (s.activation_start at time zone ${zone})::date <= ${today}
          and (s.activation_end is null or (s.activation_end at time zone ${zone})::date >= ${since})),
      p as (
        select s.*, s.a_start as p_start, s.a_start as p_end, s.a_start as due, s.price as gross
        from s where s.type = 'one_time_fee'
          and not exists (select 1 from subscription_charges c where c.subscription_id = s.id)
        union all
        select s.*, d::date, d::date, d::date,
          case when s.type = 'periodic_fee' and s.period = 'day' then s.price
            else round(s.price / ((date_trunc('month', d) + interval '1 month')::date - date_trunc('month', d)::date), 6) end
        from s cross join generate_series(greatest(s.a_start, ${since})::timestamp,
          least(coalesce(s.a_end, ${today}), ${today})::timestamp, interval '1 day') d
        where s.type <> 'one_time_fee' and ((s.type = 'periodic_fee' and s.period = 'day') or s.charge_balance_on = 3)
        union all
        select s.*, m.first, m.last,
          case when s.charge_balance_on = 2 then m.last + 1 else greatest(m.first, s.a_start) end,
          round(s.price * (least(coalesce(s.a_end, m.last), m.last) - greatest(s.a_start, m.first) + 1)::numeric
            / (m.last - m.first + 1), 6)
        from s cross join lateral (
          select mm::date as first, (mm + interval '1 month' - interval '1 day')::date as last
          from generate_series(date_trunc('month', greatest(s.a_start, ${since} - 31)::timestamp),
            date_trunc('month', least(coalesce(s.a_end, ${today}), ${today})::timestamp), interval '1 month') mm) m
        where s.type <> 'one_time_fee' and not (s.type = 'periodic_fee' and s.period = 'day')
          and s.charge_balance_on in (1, 2)
          and greatest(s.a_start, m.first) <= least(coalesce(s.a_end, m.last), m.last))
      select p.id as "subscriptionId", p.user_id as "userId", to_char(p.p_start, 'YYYY-MM-DD') as "periodStart",
        to_char(p.p_end, 'YYYY-MM-DD') as "periodEnd", (p.gross - round(p.gross * p.discount_percent / 100, 6))::text as amount,
        p.name as service
      from p
      where p.due <= ${today} and p.p_end >= ${since}
        and (p.type = 'one_time_fee' or p.charge_for_past or p.p_end >= p.created)
        and p.gross - round(p.gross * p.discount_percent / 100, 6) <> 0
        and not exists (select 1 from subscription_charges c where c.subscription_id = p.id and c.period_start = p.p_start)
      order by p.id, p.p_start`,
  );
}

/** What a charge did to the balance; null when the period was charged already (or the subscription is gone). */
export interface Charged {
  chargeId: number;
  paymentId: number;
  before: string;
  after: string;
}

type MoneyCtx = Pick<Ctx, 'db' | 'ip'> & { actor?: Ctx['actor'] };

/**
 * Charges one due period inside the caller's transaction: locks the subscription (a concurrent
 * subscription_delete or update waits), writes the `subscription_charges` row — `on conflict do
 * nothing` on (subscription, period start), so a period charged meanwhile by another run is skipped —
 * then a completed payment of type `Subscription` with the negative amount (system currency), and
 * moves the balance by −amount through the ledger (source `subscription`, the charge's id).
 */
export async function chargeOne(ctx: MoneyCtx, due: DueCharge): Promise<Charged | null> {
  const [held] = await queryRows<{ id: number; type: string }>(
    ctx.db,
    sql`select s.id, sv.type from subscriptions s join services sv on sv.id = s.service_id
      where s.id = ${due.subscriptionId}::int for update of s`,
  );
  if (!held) return null;
  const [charge] = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into subscription_charges (subscription_id, user_id, period_start, period_end, amount)
      select ${due.subscriptionId}::int, ${due.userId}::int, ${due.periodStart}::date, ${due.periodEnd}::date,
        ${due.amount}::numeric
      where ${held.type}::text <> 'one_time_fee'
        or not exists (select 1 from subscription_charges where subscription_id = ${due.subscriptionId}::int)
      on conflict (subscription_id, period_start) do nothing
      returning id`,
  );
  if (!charge) return null;
  const [payment] = await queryRows<{ id: number }>(
    ctx.db,
    sql`with p as (
        insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, completed,
          confirmation, confirmed_at, subscription_id, comment)
        select u.id, u.owner_id, 'Subscription',
          coalesce((select name from currencies where is_default order by id limit 1), 'USD'),
          -${due.amount}::numeric, 0, -${due.amount}::numeric, 1, true, 'not_needed', now(), ${due.subscriptionId}::int,
          ${`${due.service} ${due.periodStart} - ${due.periodEnd}`}::text
        from users u where u.id = ${due.userId}::int
        returning id)
      update subscription_charges c set payment_id = p.id from p where c.id = ${charge.id}::int returning p.id`,
  );
  const moved = await moveUserBalance(ctx, due.userId, {
    amount: `-${due.amount}`.replace(/^--/, ''),
    source: 'subscription',
    sourceId: charge.id,
    memo: due.service,
    action: ctx.actor ? 'subscription_paid' : undefined,
  });
  if (!payment || !moved) throw new Error(`subscription charge ${charge.id}: the subscriber is gone`);
  await queryRows(
    ctx.db,
    sql`update payments set balance_before = ${moved.before}::numeric, balance_after = ${moved.after}::numeric
      where id = ${payment.id}::int`,
  );
  return { chargeId: charge.id, paymentId: payment.id, before: moved.before, after: moved.after };
}

/**
 * Returns what is left of every charge of a subscription (subscription_delete with money return):
 * each charge's remainder goes back to the balance (ledger source `subscription_refund`, the charge's
 * id) with a positive `Subscription` payment, and the charge is marked refunded — so the prepaid
 * user's invoice no longer lists it. Runs in the caller's transaction, which holds the subscription's
 * row lock. Answers the total returned.
 */
export async function refundCharges(ctx: MoneyCtx, subscriptionId: number): Promise<string> {
  const [sum] = await queryRows<{ total: string }>(
    ctx.db,
    sql`select coalesce(sum(amount - refunded), 0)::text as total from subscription_charges
      where subscription_id = ${subscriptionId}::int`,
  );
  const rows = await queryRows<{ id: number; userId: number; back: string }>(
    ctx.db,
    sql`update subscription_charges c set refunded = c.amount
      from (select id, amount - refunded as back from subscription_charges
        where subscription_id = ${subscriptionId}::int and amount <> refunded) o
      where c.id = o.id returning c.id, c.user_id as "userId", o.back::text as back`,
  );
  for (const row of rows) {
    const [payment] = await queryRows<{ id: number }>(
      ctx.db,
      sql`insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, completed,
          confirmation, confirmed_at, subscription_id, comment)
        select u.id, u.owner_id, 'Subscription',
          coalesce((select name from currencies where is_default order by id limit 1), 'USD'),
          ${row.back}::numeric, 0, ${row.back}::numeric, 1, true, 'not_needed', now(), ${subscriptionId}::int,
          'Subscription money returned'
        from users u where u.id = ${row.userId}::int returning id`,
    );
    const moved = await moveUserBalance(ctx, row.userId, {
      amount: row.back,
      source: 'subscription_refund',
      sourceId: row.id,
      memo: 'Subscription money returned',
    });
    if (!payment || !moved) throw new Error(`subscription refund ${row.id}: the subscriber is gone`);
    await queryRows(
      ctx.db,
      sql`update payments set balance_before = ${moved.before}::numeric, balance_after = ${moved.after}::numeric
        where id = ${payment.id}::int`,
    );
  }
  return sum?.total ?? '0';
}
