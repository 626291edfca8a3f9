import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { ServiceType } from '../../db/schema/finance.ts';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../ctx.ts';
import { niceUserSql } from '../devices/nice.ts';
import { seesPrices } from '../services/access.ts';

/** A subscription as read back; money as decimal text in the system currency. */
export interface SubscriptionView {
  id: number;
  serviceId: number;
  userId: number;
  deviceId: number | null;
  /** Nice user name, service name and type, nice device (`SIP/101`, empty when none). */
  user: string;
  service: string;
  type: ServiceType;
  device: string;
  /** The service's price; null for an accountant without "See financial data". */
  price: string | null;
  activationStart: string;
  /** Null: until canceled. */
  activationEnd: string | null;
  /** Start and end as `YYYY-MM-DD HH:MM:SS +ZZZZ` in the system time zone (end empty when none). */
  from: string;
  till: string;
  memo: string;
  /** Flat rates: seconds left in the current period (0 when not active now); null for other types. */
  timeLeft: number | null;
  noExpiration: boolean;
  discountPercent: string;
  startPeriodDay: number;
  startPeriodMonth: number;
  chargeBalanceOn: number;
  chargeForPast: boolean;
  /** Charged from the balance so far, less what was returned (prepaid subscribers). */
  charged: string | null;
}

/** `t` as `YYYY-MM-DD HH:MM:SS +ZZZZ` in zone `z` (SQL). */
const stamp = (t: SQL, z: SQL) => sql`to_char(${t} at time zone ${z}, 'YYYY-MM-DD HH24:MI:SS') || ' ' ||
  (select case when o < 0 then '-' else '+' end || lpad((abs(o) / 3600)::text, 2, '0') || lpad((abs(o) % 3600 / 60)::text, 2, '0')
   from (select extract(epoch from (${t} at time zone ${z}) - (${t} at time zone 'UTC'))::int as o) x)`;

/** Subscriptions matching `where` (over `subscriptions s`, its service `sv`, its user `u`), by id. */
export async function readSubscriptions(ctx: Ctx, where: SQL, zone: string): Promise<SubscriptionView[]> {
  const z = sql`${zone}::text`;
  const now = sql`${ctx.clock().toISOString()}::timestamptz`;
  const rows = await queryRows<SubscriptionView>(
    ctx.db,
    sql`select s.id, s.service_id as "serviceId", s.user_id as "userId", s.device_id as "deviceId",
        coalesce(${niceUserSql('u', 'a')}, '') as "user", coalesce(sv.name, '') as service, sv.type,
        coalesce(d.device_type || '/' || coalesce(nullif(d.name, ''), nullif(d.extension, ''), d.username), '') as device,
        sv.price::text as price, s.activation_start as "activationStart", s.activation_end as "activationEnd",
        ${stamp(sql`s.activation_start`, z)} as "from",
        coalesce(${stamp(sql`s.activation_end`, z)}, '') as till, s.memo,
        case when sv.type in ('flat_rate', 'dynamic_flat_rate') then
          case when s.activation_start <= ${now} and (s.activation_end is null or s.activation_end >= ${now})
            then sv.quantity * 60 else 0 end end as "timeLeft",
        s.no_expiration as "noExpiration", s.discount_percent::text as "discountPercent",
        s.start_period_day as "startPeriodDay", s.start_period_month as "startPeriodMonth",
        s.charge_balance_on as "chargeBalanceOn", s.charge_for_past as "chargeForPast",
        (select coalesce(sum(c.amount - c.refunded), 0)::text from subscription_charges c where c.subscription_id = s.id)
          as charged
      from subscriptions s
      join services sv on sv.id = s.service_id
      join users u on u.id = s.user_id
      left join addresses a on a.id = u.address_id
      left join devices d on d.id = s.device_id
      where ${where} order by s.id`,
  );
  const views = rows.map((r) => ({
    ...r,
    activationStart: new Date(r.activationStart).toISOString(),
    activationEnd: r.activationEnd === null ? null : new Date(r.activationEnd).toISOString(),
  }));
  if (seesPrices(ctx.actor)) return views;
  return views.map((r) => ({ ...r, price: null, charged: null }));
}

/** The calendar date (YYYY-MM-DD) of instant `iso` in `zone`. */
export async function localDay(db: Db, zone: string, iso: string): Promise<string> {
  const [row] = await queryRows<{ day: string }>(
    db,
    sql`select to_char((${iso}::timestamptz at time zone ${zone}::text)::date, 'YYYY-MM-DD') as day`,
  );
  return row!.day;
}
