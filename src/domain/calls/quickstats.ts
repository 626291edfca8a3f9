import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { actorZone } from '../users/actorZone.ts';

/** Figures of one period over answered calls; money as exact decimal text. */
export interface PeriodStats {
  calls: number;
  /** Sum of billsec, seconds. */
  duration: number;
  revenue: string;
  selfCost: string;
  profit: string;
  /** profit / revenue × 100, rounded to an integer (0 without revenue). */
  margin: number;
  /** A simple user's own call cost. */
  price: string;
}

export interface Quickstats {
  /** `owner`: revenue, self cost, profit and margin (admin, reseller); `user`: calls, duration, price. */
  view: 'owner' | 'user';
  today: PeriodStats;
  month: PeriodStats;
  /** Live calls in reach; null when not shown (simple users). */
  active: { total: number; answered: number } | null;
  /** A simple user's balance (system currency). */
  balance: string | null;
}

/**
 * quickstats_get: today (00:00 → now) and this month (1st 00:00 → now) in the caller's time zone,
 * "now" rounded up to the end of the current hour (the rollups' resolution; no call is dated later),
 * over answered calls. The admin sees the whole system (revenue: its users' prices and, for a
 * reseller's user, the reseller's price; self cost: provider prices); a reseller its users' calls
 * (revenue: their prices, self cost: its own reseller prices); a simple user its own calls (price).
 * Admin and reseller figures come from the rollups when the period starts and ends on whole UTC hours
 * (always, except in zones offset by a fraction of an hour); otherwise straight from calls.
 */
export async function quickstats(ctx: Ctx): Promise<Quickstats> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller' && actor.usertype !== 'user') {
    throw forbidden('quickstats', 'Access Denied');
  }
  const zone = await actorZone(ctx);
  const [bounds] = await queryRows<{
    day: string;
    next_day: string;
    month: string;
    next_month: string;
    aligned: boolean;
  }>(
    ctx.db,
    sql`with l as (select ${ctx.clock().toISOString()}::timestamptz at time zone ${zone}::text as t),
      e as (select date_trunc('hour', ${ctx.clock().toISOString()}::timestamptz) + interval '1 hour' as t),
      b as (select date_trunc('day', t) at time zone ${zone}::text as day, (select t from e) as next_day,
          date_trunc('month', t) at time zone ${zone}::text as month, (select t from e) as next_month from l)
      select day::text, next_day::text, month::text, next_month::text,
        (date_trunc('hour', day) = day and date_trunc('hour', next_day) = next_day
          and date_trunc('hour', month) = month and date_trunc('hour', next_month) = next_month) as aligned
      from b`,
  );
  const b = bounds!;
  if (actor.usertype === 'user') {
    const [row] = await queryRows<{ balance: string }>(
      ctx.db,
      sql`select balance::text from users where id = ${actor.id}::int`,
    );
    return {
      view: 'user',
      today: await direct(ctx, b.day, b.next_day),
      month: await direct(ctx, b.month, b.next_month),
      active: null,
      balance: row?.balance ?? '0',
    };
  }
  const period = (from: string, till: string) => (b.aligned ? rolled(ctx, from, till) : direct(ctx, from, till));
  const scope =
    actor.usertype === 'admin' ? sql`true` : sql`(a.reseller_id = ${actor.id}::int or a.user_id = ${actor.id}::int)`;
  const [active] = await queryRows<{ total: number; answered: number }>(
    ctx.db,
    sql`select count(*)::int as total, count(a.answer_time)::int as answered from active_calls a where ${scope}`,
  );
  return {
    view: 'owner',
    today: await period(b.day, b.next_day),
    month: await period(b.month, b.next_month),
    active: active ?? { total: 0, answered: 0 },
    balance: null,
  };
}

/** Revenue and self cost as the actor counts them, over rows with `reseller_id` (0 = admin's realm). */
function money(ctx: Ctx, realm: SQL): { revenue: SQL; selfCost: SQL; scope: SQL } {
  if (ctx.actor.usertype === 'reseller') {
    return { revenue: sql`user_price`, selfCost: sql`reseller_price`, scope: sql`${realm} = ${ctx.actor.id}::int` };
  }
  return {
    revenue: sql`case when ${realm} = 0 then user_price else reseller_price end`,
    selfCost: sql`provider_price`,
    scope: sql`true`,
  };
}

const FIGURES = (revenue: SQL, selfCost: SQL) => sql`coalesce(sum(calls), 0)::int as calls,
  coalesce(sum(billsec), 0)::int as duration, coalesce(sum(${revenue}), 0) as revenue,
  coalesce(sum(${selfCost}), 0) as self_cost, coalesce(sum(user_price), 0) as price`;

type Raw = { calls: number; duration: number; revenue: string; self_cost: string; price: string };

async function finish(ctx: Ctx, inner: SQL): Promise<PeriodStats> {
  const [r] = await queryRows<Raw & { profit: string; margin: number }>(
    ctx.db,
    sql`select calls, duration, revenue::text, self_cost::text, price::text, (revenue - self_cost)::text as profit,
        case when revenue = 0 then 0 else round((revenue - self_cost) / revenue * 100)::int end as margin
      from (${inner}) s`,
  );
  return {
    calls: r!.calls,
    duration: r!.duration,
    revenue: r!.revenue,
    selfCost: r!.self_cost,
    profit: r!.profit,
    margin: r!.margin,
    price: r!.price,
  };
}

function rolled(ctx: Ctx, from: string, till: string): Promise<PeriodStats> {
  const m = money(ctx, sql`reseller_id`);
  return finish(
    ctx,
    sql`select ${FIGURES(m.revenue, m.selfCost)} from call_rollups
      where bucket >= ${from}::timestamptz and bucket < ${till}::timestamptz and disposition = 'ANSWERED' and ${m.scope}`,
  );
}

function direct(ctx: Ctx, from: string, till: string): Promise<PeriodStats> {
  const m = money(ctx, sql`coalesce(reseller_id, 0)`);
  const scope = ctx.actor.usertype === 'user' ? sql`user_id = ${ctx.actor.id}::int` : m.scope;
  return finish(
    ctx,
    sql`select ${FIGURES(m.revenue, m.selfCost)} from (select 1::int as calls, billsec, reseller_id, user_price,
        reseller_price, provider_price from calls
        where calldate >= ${from}::timestamptz and calldate < ${till}::timestamptz and disposition = 'ANSWERED'
          and ${scope}) c`,
  );
}
