import { fixed } from '../cards/money.ts';
import type { InvoiceDocument } from './loadInvoices.ts';

/** Money of the invoice currency with cents (`12.10`). */
export const cents = (text: string) => fixed(text, 2);

/** A quantity without trailing zeros (`1`, `0.5`, `16`); '' for lines without a count. */
export function quantityText(text: string | null): string {
  if (text === null) return '';
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** The tax line label: `VAT 21%, City 2% (compound)`, or the total tax name alone. */
export function taxLabel(invoice: InvoiceDocument): string {
  const { taxes, compound, totalTaxName } = invoice.taxes;
  if (taxes.length === 0) return totalTaxName;
  const parts = taxes.map((t) => `${t.name} ${quantityText(t.percent)}%`).join(', ');
  return `${totalTaxName} (${parts}${compound && taxes.length > 1 ? ', compound' : ''})`;
}

/** A file name for the invoice: its number, safe in any file system. */
export const fileName = (invoice: InvoiceDocument, ext: string) =>
  `${invoice.number.replace(/[^A-Za-z0-9._-]/g, '_') || `invoice-${invoice.id}`}.${ext}`;
