import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { hasRight } from '../auth/rights.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';

export type StatementStatus = 'paid' | 'unpaid' | 'all';
export type StatementType = 'invoices' | 'credit_notes' | 'payments';

export interface StatementInput {
  /** One user's statement (ignored for a simple user, who only has its own). */
  userId?: number;
  status: StatementStatus;
  /** Unix seconds; their calendar dates (system zone) bound the period, both days whole. Absent: today. */
  dateFrom?: number;
  dateTill?: number;
}

export interface StatementGroup {
  type: StatementType;
  status: 'paid' | 'unpaid';
  count: number;
  /** Sums in the system currency, as exact decimal text. */
  price: string;
  priceWithVat: string;
}

export interface FinancialStatement {
  /** The system currency. */
  currency: string;
  groups: StatementGroup[];
}

/**
 * Whose documents the actor's statement covers, over a realm column and a user column: the admin
 * its own realm, an accountant (financial data and payments readable) the admin's realm without the
 * admin, a reseller its users and itself, a simple user itself.
 */
function reach(actor: Account, realm: SQL, user: SQL): SQL {
  switch (actor.usertype) {
    case 'admin':
      return sql`${realm} = 0`;
    case 'accountant':
      return sql`(${realm} = 0 and ${user} <> 0)`;
    case 'reseller':
    case 'partner':
      return sql`(${realm} = ${actor.id}::int or ${user} = ${actor.id}::int)`;
    default:
      return sql`${user} = ${actor.id}::int`;
  }
}

/** May the actor read statements at all (accountants: See financial data and Payments, read). */
export function mayReadStatements(actor: Account): boolean {
  return hasRight(actor, 'see_financial_data', 1) && hasRight(actor, 'payments_manage', 1);
}

/**
 * financial_statements_get: invoices (by issue date), credit notes (by issue date) and user payments
 * (by date added) of the period, grouped by paid state, with counts and sums in the system currency
 * (payments converted from their own currency at their stored rate). Groups without documents are
 * left out; order invoices, credit notes, payments, paid before unpaid.
 * Failures: FORBIDDEN 'statements' (an accountant without the rights), NOT_FOUND 'user' (`userId`
 * outside the caller's reach).
 */
export async function getFinancialStatement(ctx: Ctx, input: StatementInput): Promise<FinancialStatement> {
  const { actor } = ctx;
  if (!mayReadStatements(actor)) throw forbidden('statements');
  const zone = await systemZone(ctx.db);
  const userId = actor.usertype === 'user' ? undefined : input.userId;
  if (userId !== undefined) {
    const [visible] = await queryRows<{ id: number }>(
      ctx.db,
      sql`select u.id from users u where u.id = ${userId}::int and ${reach(actor, sql`u.owner_id`, sql`u.id`)}
        and (u.id <> 0 or ${actor.usertype === 'admin'}::boolean)`,
    );
    if (!visible) throw notFound('user');
  }
  const only = (col: SQL) => (userId === undefined ? sql`` : sql`and ${col} = ${userId}::int`);
  const paid = input.status === 'all' ? sql`` : sql`and paid = ${input.status === 'paid'}::boolean`;
  const rows = await queryRows<{
    type: StatementType;
    paid: boolean;
    count: number;
    price: string;
    priceWithVat: string;
  }>(
    ctx.db,
    sql`with b as (
        select coalesce((to_timestamp(${input.dateFrom ?? null}::bigint) at time zone ${zone}::text)::date,
            (${ctx.clock().toISOString()}::timestamptz at time zone ${zone}::text)::date) as d1,
          coalesce((to_timestamp(${input.dateTill ?? null}::bigint) at time zone ${zone}::text)::date,
            (${ctx.clock().toISOString()}::timestamptz at time zone ${zone}::text)::date) as d2
      ),
      t as (select d1, d2, d1::timestamp at time zone ${zone}::text as t1,
        (d2 + 1)::timestamp at time zone ${zone}::text as t2 from b),
      docs as (
        select 1 as ord, 'invoices' as type, i.paid, i.price, i.price_with_vat as with_vat
          from invoices i, t
          where i.issue_date between t.d1 and t.d2 and ${reach(actor, sql`i.owner_id`, sql`i.user_id`)} ${only(sql`i.user_id`)}
        union all
        select 2, 'credit_notes', c.status = 'paid', c.price, c.price_with_vat
          from credit_notes c, t
          where c.issue_date >= t.t1 and c.issue_date < t.t2 and ${reach(actor, sql`c.owner_id`, sql`c.user_id`)} ${only(sql`c.user_id`)}
        union all
        select 3, 'payments', p.completed,
            case when p.exchange_rate > 0 then p.amount / p.exchange_rate else p.amount end,
            case when p.exchange_rate > 0 then p.gross / p.exchange_rate else p.gross end
          from payments p, t
          where p.user_id is not null and p.date_added >= t.t1 and p.date_added < t.t2
            and ${reach(actor, sql`p.owner_id`, sql`p.user_id`)} ${only(sql`p.user_id`)}
      )
      select type, paid, count(*)::int as count, sum(price)::text as price, sum(with_vat)::text as "priceWithVat"
      from docs where true ${paid}
      group by ord, type, paid order by ord, paid desc`,
  );
  const [currency] = await queryRows<{ name: string }>(
    ctx.db,
    sql`select coalesce((select name from currencies where is_default limit 1), 'USD') as name`,
  );
  return {
    currency: currency?.name ?? 'USD',
    groups: rows.map((r) => ({
      type: r.type,
      status: r.paid ? 'paid' : 'unpaid',
      count: r.count,
      price: r.price,
      priceWithVat: r.priceWithVat,
    })),
  };
}
