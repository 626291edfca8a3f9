import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { taxFactor } from '../cards/money.ts';
import { LINE_SOURCES, type LineQuery } from './sources/index.ts';

export interface BatchInput extends LineQuery {
  /** The realm whose numbering the invoices take (users.owner_id of every user in `userIds`). */
  realm: number;
  userIds: readonly number[];
  /** Issue date (system zone) and the generation instant (ISO). */
  issueDate: string;
  now: string;
}

export interface BatchResult {
  created: number;
  first: number | null;
  last: number | null;
}

/**
 * The taxes snapshot an invoice keeps: the enabled taxes (name, percent), compound flag and the
 * total tax name, from the user's taxes row (alias `tx`).
 */
const TAXES_SNAPSHOT = sql.raw(`jsonb_build_object(
  'taxes', case when tx.id is null then '[]'::jsonb else
    jsonb_build_array(jsonb_build_object('name', tx.tax1_name, 'percent', tx.tax1_value::text))
    || case when tx.tax2_enabled then jsonb_build_array(jsonb_build_object('name', tx.tax2_name, 'percent', tx.tax2_value::text)) else '[]'::jsonb end
    || case when tx.tax3_enabled then jsonb_build_array(jsonb_build_object('name', tx.tax3_name, 'percent', tx.tax3_value::text)) else '[]'::jsonb end
    || case when tx.tax4_enabled then jsonb_build_array(jsonb_build_object('name', tx.tax4_name, 'percent', tx.tax4_value::text)) else '[]'::jsonb end end,
  'compound', coalesce(tx.compound_tax, false),
  'totalTaxName', coalesce(tx.total_tax_name, 'TAX'))`);

/**
 * Writes the invoices of one batch of users of one realm, in ONE transaction: the realm's
 * invoice_counters row is locked first (so concurrent generations of the realm queue here and
 * numbers have no gaps), users that already have an invoice overlapping the period are skipped
 * (generating twice, or on two instances, never makes a second one), users without lines get no
 * invoice.
 *
 * The rounding rule (one, documented in docs/decisions.md): each line's sum is converted to the
 * invoice currency at the user's stored exchange rate and rounded to cents (half away from zero);
 * the invoice total is the sum of those rounded lines; the tax is computed once on that total with
 * the user's tax factor (Multi-Tax, compound or not) and rounded to cents; total with tax = total +
 * tax. The system-currency totals are those cent amounts divided by the rate (6 decimals).
 */
export async function writeBatch(db: Db, input: BatchInput): Promise<BatchResult> {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    await queryRows(
      txDb,
      sql`insert into invoice_counters (owner_id) values (${input.realm}::int) on conflict do nothing`,
    );
    const [counter] = await queryRows<{ last: number }>(
      txDb,
      sql`select last_seq as last from invoice_counters where owner_id = ${input.realm}::int for update`,
    );
    const lastSeq = counter?.last ?? 0;
    const sources = sql.join(
      LINE_SOURCES.map((s) => sql`(${s.lines(input)})`),
      sql` union all `,
    );
    const [row] = await queryRows<{ created: number; first: number | null; last: number | null }>(
      txDb,
      sql`with t as materialized (
          select u.id as user_id, u.postpaid,
            case when c.exchange_rate > 0 then c.name else d.name end as currency,
            case when c.exchange_rate > 0 then c.exchange_rate else 1::numeric end as rate,
            ${taxFactor('tx')} as factor, ${TAXES_SNAPSHOT} as taxes
          from users u
          cross join (select coalesce((select name from currencies where is_default limit 1), 'USD') as name) d
          left join currencies c on c.id = u.currency_id
          left join taxes tx on tx.id = u.tax_id
          where u.id = any(${`{${input.userIds.join(',')}}`}::int[]) and u.owner_id = ${input.realm}::int
            and not exists (select 1 from invoices i where i.user_id = u.id
              and i.period_start <= ${input.periodEnd}::date and i.period_end >= ${input.periodStart}::date)
        ),
        l as materialized (
          select s.*, round(s.sum * t.rate, 2) as total, t.rate
          from (${sources}) s join t on t.user_id = s.user_id
        ),
        inv as (
          select t.user_id, t.postpaid, t.currency, t.rate, t.taxes, sum(l.total) as total,
            round(sum(l.total) * (t.factor - 1), 2) as tax,
            ${lastSeq}::int + (row_number() over (order by t.user_id))::int as seq
          from t join l on l.user_id = t.user_id
          group by t.user_id, t.postpaid, t.currency, t.rate, t.taxes, t.factor
        ),
        ins as (
          insert into invoices (user_id, owner_id, seq, number, period_start, period_end, issue_date, invoice_type,
            price, price_with_vat, currency, exchange_rate, total, total_tax, total_with_tax, taxes, paid, paid_at)
          select user_id, ${input.realm}::int, seq, 'INV' || lpad(seq::text, 7, '0'),
            ${input.periodStart}::date, ${input.periodEnd}::date, ${input.issueDate}::date,
            case when postpaid then 'postpaid' else 'prepaid' end,
            round(total / rate, 6), round((total + tax) / rate, 6), currency, rate, total, tax, total + tax, taxes,
            not postpaid, case when postpaid then null else ${input.now}::timestamptz end
          from inv order by seq
          returning id, user_id, seq
        ),
        det as (
          insert into invoice_details (invoice_id, name, kind, quantity, price, discount, sum, total, prefix,
            total_time, service_id, subscription_id)
          select ins.id, l.name, l.kind, l.quantity, l.price, l.discount, l.sum, l.total, l.prefix,
            l.total_time, l.service_id, l.subscription_id
          from l join ins on ins.user_id = l.user_id
          order by ins.id, l.sort_group, l.sort_id, l.name
          returning 1
        ),
        counted as (
          update invoice_counters set last_seq = last_seq + (select count(*) from inv)::int
          where owner_id = ${input.realm}::int
          returning last_seq
        )
        select (select count(*) from ins)::int as created, (select min(seq) from ins) as first,
          (select max(seq) from ins) as last, (select count(*) from det)::int as lines,
          (select last_seq from counted) as counter`,
    );
    return { created: row?.created ?? 0, first: row?.first ?? null, last: row?.last ?? null };
  });
}
