import { type SQL, sql } from 'drizzle-orm';

/** A credit note as the APIs show it. Money in the system currency, exact decimal text (6 decimals). */
export interface CreditNoteView {
  id: number;
  userId: number;
  /** Realm of the user when the note was made (0 the admin, else a reseller). */
  ownerId: number;
  number: string;
  /** ISO 8601 (UTC). */
  issueDate: string;
  /** Without tax; may be negative. */
  price: string;
  comment: string;
  /**
   * Financial details; null for an accountant without "See financial data": price with the user's tax
   * at creation, the taxes then, the paid state, when it was paid and the payment that paid it.
   */
  priceWithVat: string | null;
  taxes: NoteTaxes | null;
  status: 'paid' | 'unpaid' | null;
  payDate: string | null;
  paymentId: number | null;
  /** `issueDate` and `payDate` as `YYYY-MM-DD HH:MM:SS` in the reader's time zone ('' when unset). */
  issueDateLocal: string;
  payDateLocal: string;
}

/** The user's taxes when a note was made: each enabled tax with its percent, and whether they compound. */
export interface NoteTaxes {
  compound: boolean;
  taxes: { name: string; percent: string }[];
}

/**
 * The taxes snapshot of a `taxes` alias `t` as jsonb (an empty list when the user has no taxes row):
 * tax 1 always, taxes 2–4 when enabled.
 */
export const taxSnapshot = (t: string): SQL =>
  sql.raw(`jsonb_build_object('compound', coalesce(${t}.compound_tax, false), 'taxes',
    (select coalesce(jsonb_agg(jsonb_build_object('name', x.name, 'percent', x.percent::text) order by x.n), '[]'::jsonb)
     from (values (1, ${t}.tax1_name, ${t}.tax1_value, ${t}.id is not null),
       (2, ${t}.tax2_name, ${t}.tax2_value, ${t}.tax2_enabled), (3, ${t}.tax3_name, ${t}.tax3_value, ${t}.tax3_enabled),
       (4, ${t}.tax4_name, ${t}.tax4_value, ${t}.tax4_enabled)) as x(n, name, percent, enabled)
     where x.enabled))`);

const local = (column: SQL, tz: string) =>
  sql`coalesce(to_char(${column} at time zone ${tz}::text, 'YYYY-MM-DD HH24:MI:SS'), '')`;
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The select list of CreditNoteView over `credit_notes n`; `financial` false nulls the financial details. */
export function noteColumns(tz: string, financial: boolean): SQL {
  const money = (column: SQL) => (financial ? column : sql`null`);
  return sql`n.id, n.user_id as "userId", n.owner_id as "ownerId", n.number, ${iso(sql`n.issue_date`)} as "issueDate",
    n.price::text as price, n.comment,
    ${money(sql`n.price_with_vat::text`)} as "priceWithVat", ${money(sql`n.taxes`)} as taxes,
    ${money(sql`n.status`)} as status, ${money(iso(sql`n.pay_date`))} as "payDate",
    ${money(sql`n.payment_id`)} as "paymentId",
    ${local(sql`n.issue_date`, tz)} as "issueDateLocal",
    ${financial ? local(sql`n.pay_date`, tz) : sql`''`} as "payDateLocal"`;
}
