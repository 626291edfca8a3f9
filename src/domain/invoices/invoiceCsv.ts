import type { Ctx } from '../ctx.ts';
import { cents, fileName, quantityText, taxLabel } from './format.ts';
import { getInvoice, type InvoiceId } from './getInvoice.ts';
import type { InvoiceDocument } from './loadInvoices.ts';

const HEADER = [
  'invoice_number',
  'issue_date',
  'period_start',
  'period_end',
  'username',
  'currency',
  'item',
  'quantity',
  'price',
  'discount',
  'sum',
];

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is neutralised. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The invoice as CSV: one row per line, then the total, the tax and the total with tax (invoice currency). */
export function renderInvoiceCsv(invoice: InvoiceDocument): string {
  const head = [
    invoice.number,
    invoice.issueDate,
    invoice.periodStart,
    invoice.periodEnd,
    invoice.username,
    invoice.currency,
  ];
  const rows = [HEADER];
  for (const l of invoice.lines) {
    rows.push([...head, l.name, quantityText(l.quantity), l.price, l.discount, cents(l.sum)]);
  }
  rows.push([...head, 'Total', '', '', '', cents(invoice.total)]);
  rows.push([...head, taxLabel(invoice), '', '', '', cents(invoice.totalTax)]);
  rows.push([...head, 'Total with tax', '', '', '', cents(invoice.totalWithTax)]);
  return `${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

/** tRPC `invoices.csv`: the CSV text of an invoice the caller may read. */
export async function invoiceCsv(
  ctx: Ctx,
  input: InvoiceId,
): Promise<{ filename: string; contentType: string; csv: string }> {
  const invoice = await getInvoice(ctx, input);
  return { filename: fileName(invoice, 'csv'), contentType: 'text/csv; charset=utf-8', csv: renderInvoiceCsv(invoice) };
}
