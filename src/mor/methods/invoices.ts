import { fixed } from '../../domain/cards/money.ts';
import { quantityText } from '../../domain/invoices/format.ts';
import { invoicesInPeriod } from '../../domain/invoices/invoicesInPeriod.ts';
import type { InvoiceDocument, InvoiceLine } from '../../domain/invoices/loadInvoices.ts';
import { defineMethod } from '../method.ts';
import { type XmlNode, xml } from '../xml.ts';
import { ALL } from './cardSupport.ts';

/** invoices_get's errors are the root element itself: `<Error>user not found</Error>`. */
const rootError = (message: string) => xml({ Error: message });

/** "Calls" in the languages invoices_get's `lang` asks for (English when unknown). */
const CALLS: Readonly<Record<string, string>> = {
  en: 'Calls',
  lt: 'Skambučiai',
  de: 'Anrufe',
  es: 'Llamadas',
  fr: 'Appels',
  it: 'Chiamate',
  pt: 'Chamadas',
  pl: 'Połączenia',
  ru: 'Звонки',
};

/** A Unix-seconds bound: absent, empty or 0 = none; digits only, else null (invalid). */
function bound(value: string | undefined): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) return null;
  const n = Number(value);
  return n === 0 ? undefined : n;
}

const hhmmss = (seconds: number) =>
  [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');

function productName(line: InvoiceLine, lang: string): string {
  if (line.kind === 'calls') return CALLS[lang] ?? CALLS.en!;
  if (line.kind === 'service') return `${line.name} - ${quantityText(line.quantity) || '1'}`;
  return line.name;
}

function invoiceNode(invoice: InvoiceDocument, lang: string): XmlNode {
  const seconds = invoice.lines.reduce((s, l) => s + (l.kind === 'calls' ? (l.totalTime ?? 0) : 0), 0);
  return {
    '@user_id': String(invoice.userId),
    '@agreementnumber': invoice.agreementNumber,
    '@clientid': invoice.clientId,
    '@number': invoice.number,
    id: invoice.id,
    paid: invoice.paid ? 1 : 0,
    Total_time: hhmmss(seconds),
    Product: invoice.lines.map((l) => ({
      Name: productName(l, lang),
      Quantity: quantityText(l.quantity),
      Price: fixed(l.price, 4),
      Discount: fixed(l.discount, 4),
      Sum: fixed(l.sum, 4),
      Date_added: invoice.paymentDate,
      Issue_date: invoice.issueDate,
      Service_id: l.serviceId === null ? '' : String(l.serviceId),
      Prefix: l.prefix ?? '',
    })),
  };
}

export const invoicesGet = defineMethod({
  name: 'invoices_get',
  aliases: ['invoices'],
  family: 'invoices',
  summary: 'Invoices (with their products) whose period lies within from … till.',
  identity: 'caller',
  // The page lists no hash parameter yet answers "Incorrect hash": sha1(key) or, as the public client
  // sends it, sha1(u + key).
  hash: [],
  altHashes: [{ order: ['u'] }],
  callers: ALL,
  access: 'read',
  unknownCaller: rootError('user not found'),
  errorWrapper: rootError,
  params: [
    { name: 'u', required: true, description: 'caller username (admin, accountant, reseller, user)' },
    { name: 'from', description: 'Unix time: invoices whose period starts on or after its date (default: no bound)' },
    { name: 'till', description: 'Unix time: invoices whose period ends on or before its date (default: no bound)' },
    { name: 'lang', description: 'language of the calls line name (default en)' },
    { name: 'hash', required: true, description: 'sha1(secret key) or sha1(u + secret key)' },
  ],
  async run(call) {
    const p = call.params;
    const from = bound(p.value('from'));
    const till = bound(p.value('till'));
    if (from === null || till === null) return rootError('Invalid date');
    const result = await invoicesInPeriod(call.ctx!, { from, till });
    if (result.invoices.length === 0) return rootError('no invoices found');
    const lang = (p.value('lang') ?? 'en').toLowerCase();
    return xml({
      Invoices: {
        '@from': result.from,
        '@till': result.till,
        Invoice: result.invoices.map((i) => invoiceNode(i, lang)),
      },
    });
  },
});
