import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';

/** One line of an invoice; amounts as decimal text. */
export interface InvoiceLine {
  id: number;
  name: string;
  kind: 'calls' | 'service' | 'other';
  /** null for lines without a count. */
  quantity: string | null;
  /** Unit price and discount in the invoice currency (4 decimals); sum in the invoice currency (cents). */
  price: string;
  discount: string;
  sum: string;
  /** The same line in the system currency, as stored (6 decimals). */
  systemPrice: string;
  systemSum: string;
  prefix: string | null;
  totalTime: number | null;
  serviceId: number | null;
  subscriptionId: number | null;
}

export interface InvoiceTaxes {
  taxes: { name: string; percent: string }[];
  compound: boolean;
  totalTaxName: string;
}

/** An invoice with its lines, its user and its payment, as every reader shows it. */
export interface InvoiceDocument {
  id: number;
  number: string;
  userId: number;
  ownerId: number;
  username: string;
  /** First and last name, or the username when the user has none. */
  userName: string;
  agreementNumber: string;
  clientId: string;
  vatNumber: string;
  address: { address: string; city: string; postcode: string; state: string; country: string; email: string };
  /** The realm's owner who issues the invoice (the admin or the reseller): name for the PDF header. */
  issuer: string;
  periodStart: string;
  periodEnd: string;
  issueDate: string;
  invoiceType: 'prepaid' | 'postpaid';
  currency: string;
  exchangeRate: string;
  /** Invoice currency, cents: total = Σ line sums, totalWithTax = total + totalTax. */
  total: string;
  totalTax: string;
  totalWithTax: string;
  /** System currency. */
  price: string;
  priceWithVat: string;
  taxes: InvoiceTaxes;
  paid: boolean;
  /** Date (system zone) of the payment that paid it, '' when none. */
  paymentDate: string;
  lines: InvoiceLine[];
}

/**
 * The invoices matching `where` (over alias `i`; `u` is the user), with their lines, ordered by id.
 * Dates render in `zone`.
 */
export async function loadInvoices(db: Db, where: SQL, zone: string, limit = 10_000): Promise<InvoiceDocument[]> {
  const heads = await queryRows<Omit<InvoiceDocument, 'lines'>>(
    db,
    sql`select i.id, i.number, i.user_id as "userId", i.owner_id as "ownerId", u.username,
        coalesce(nullif(trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')), ''), u.username) as "userName",
        u.agreement_number as "agreementNumber", u.clientid as "clientId", u.vat_number as "vatNumber",
        jsonb_build_object('address', coalesce(a.address, ''), 'city', coalesce(a.city, ''),
          'postcode', coalesce(a.postcode, ''), 'state', coalesce(a.state, ''),
          'country', coalesce(dir.name, ''), 'email', coalesce(a.email, '')) as address,
        coalesce(nullif(trim(coalesce(oa.first_name, '') || ' ' || coalesce(oa.last_name, '')), ''), o.username, '') as issuer,
        to_char(i.period_start, 'YYYY-MM-DD') as "periodStart", to_char(i.period_end, 'YYYY-MM-DD') as "periodEnd",
        to_char(i.issue_date, 'YYYY-MM-DD') as "issueDate", i.invoice_type as "invoiceType",
        i.currency, i.exchange_rate::text as "exchangeRate", i.total::text as total, i.total_tax::text as "totalTax",
        i.total_with_tax::text as "totalWithTax", i.price::text as price, i.price_with_vat::text as "priceWithVat",
        i.taxes, i.paid,
        coalesce(to_char((p.date_added at time zone ${zone}::text)::date, 'YYYY-MM-DD'), '') as "paymentDate"
      from invoices i
      join users u on u.id = i.user_id
      left join addresses a on a.id = u.address_id
      left join directions dir on dir.id = a.direction_id
      left join users o on o.id = i.owner_id
      left join addresses oa on oa.id = o.address_id
      left join payments p on p.id = i.payment_id
      where ${where}
      order by i.id limit ${limit}`,
  );
  if (heads.length === 0) return [];
  const lines = await queryRows<InvoiceLine & { invoiceId: number }>(
    db,
    sql`select d.invoice_id as "invoiceId", d.id, d.name, d.kind, d.quantity::text as quantity,
        round(d.price * i.exchange_rate, 4)::text as price, round(d.discount * i.exchange_rate, 4)::text as discount,
        d.total::text as sum, d.price::text as "systemPrice", d.sum::text as "systemSum", d.prefix,
        d.total_time as "totalTime", d.service_id as "serviceId", d.subscription_id as "subscriptionId"
      from invoice_details d join invoices i on i.id = d.invoice_id
      where d.invoice_id = any(${`{${heads.map((h) => h.id).join(',')}}`}::int[])
      order by d.invoice_id, d.id`,
  );
  const byInvoice = new Map<number, InvoiceLine[]>();
  for (const { invoiceId, ...line } of lines) {
    const list = byInvoice.get(invoiceId) ?? [];
    list.push(line);
    byInvoice.set(invoiceId, list);
  }
  return heads.map((h) => ({ ...h, lines: byInvoice.get(h.id) ?? [] }));
}
