import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from 'pdf-lib';
import type { Ctx } from '../ctx.ts';
import { cents, fileName, quantityText, taxLabel } from './format.ts';
import { getInvoice, type InvoiceId } from './getInvoice.ts';
import type { InvoiceDocument } from './loadInvoices.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const SIZE = 10;
const ROW = 15;
/** Right edges of the number columns: quantity, price, discount, sum. */
const COLUMNS = [330, 410, 480, A4[0] - MARGIN];

/**
 * Text a standard (WinAnsi) font can draw: characters outside its set become `?`, so any name
 * renders instead of failing (the 14 standard fonts need no font file: works on every runtime).
 */
function drawable(font: PDFFont, text: string): string {
  const set = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/[\r\n\t]+/g, ' ')) out += set.has(ch.codePointAt(0)!) ? ch : '?';
  return out;
}

/** A page writer that moves down line by line and starts a new page when the current one is full. */
class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  line(height = ROW) {
    this.y -= height;
    if (this.y < MARGIN + ROW) {
      this.page = this.doc.addPage(A4);
      this.y = A4[1] - MARGIN - height;
    }
  }
  text(text: string, x: number, options: { bold?: boolean; size?: number; right?: boolean } = {}) {
    const font = options.bold ? this.bold : this.regular;
    const size = options.size ?? SIZE;
    const safe = drawable(font, text);
    const at = options.right ? x - font.widthOfTextAtSize(safe, size) : x;
    this.page.drawText(safe, { x: at, y: this.y, size, font });
  }
  /** Cuts `text` to fit `width` at the body size. */
  fit(text: string, width: number): string {
    let safe = drawable(this.regular, text);
    while (safe.length > 1 && this.regular.widthOfTextAtSize(safe, SIZE) > width) safe = safe.slice(0, -1);
    return safe;
  }
}

/** Renders the invoice as a one-or-more-page A4 PDF (pdf-lib, no platform APIs). */
export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(`${invoice.issueDate}T00:00:00Z`);
  doc.setTitle(`Invoice ${invoice.number}`);
  doc.setCreator('openmor');
  doc.setProducer('openmor');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  const right = A4[0] - MARGIN;
  w.text('INVOICE', MARGIN, { bold: true, size: 20 });
  w.text(`No. ${invoice.number}`, right, { bold: true, right: true });
  w.line(ROW + 5);
  w.text(`Issue date: ${invoice.issueDate}`, right, { right: true });
  w.line();
  w.text(`Period: ${invoice.periodStart} - ${invoice.periodEnd}`, right, { right: true });
  w.line(ROW * 2);

  w.text('From', MARGIN, { bold: true });
  w.text('Bill to', 300, { bold: true });
  w.line();
  w.text(invoice.issuer, MARGIN);
  const a = invoice.address;
  const billTo = [
    invoice.userName,
    a.address,
    [a.postcode, a.city].filter(Boolean).join(' '),
    [a.state, a.country].filter(Boolean).join(', '),
    invoice.agreementNumber && `Agreement No.: ${invoice.agreementNumber}`,
    invoice.clientId && `Client ID: ${invoice.clientId}`,
    invoice.vatNumber && `VAT No.: ${invoice.vatNumber}`,
  ].filter(Boolean);
  for (const [i, text] of billTo.entries()) {
    if (i > 0) w.line();
    w.text(text, 300);
  }
  w.line(ROW * 2);

  const headers = ['Quantity', `Price (${invoice.currency})`, 'Discount', `Sum (${invoice.currency})`];
  w.text('Item', MARGIN, { bold: true });
  headers.forEach((h, i) => {
    w.text(h, COLUMNS[i]!, { bold: true, right: true });
  });
  w.line(5);
  w.page.drawLine({ start: { x: MARGIN, y: w.y + 2 }, end: { x: right, y: w.y + 2 }, thickness: 0.5 });
  for (const l of invoice.lines) {
    w.line();
    w.text(w.fit(l.name, COLUMNS[0]! - 60 - MARGIN), MARGIN);
    [quantityText(l.quantity), l.price, l.discount, cents(l.sum)].forEach((v, i) => {
      w.text(v, COLUMNS[i]!, { right: true });
    });
  }
  w.line(8);
  w.page.drawLine({ start: { x: 300, y: w.y + 4 }, end: { x: right, y: w.y + 4 }, thickness: 0.5 });
  const totals: [string, string, boolean][] = [
    ['Total without tax', cents(invoice.total), false],
    [taxLabel(invoice), cents(invoice.totalTax), false],
    [`Total (${invoice.currency})`, cents(invoice.totalWithTax), true],
  ];
  for (const [label, amount, bold] of totals) {
    w.line();
    w.text(w.fit(label, 170), 300, { bold });
    w.text(amount, right, { bold, right: true });
  }
  w.line(ROW * 2);
  w.text(invoice.paid ? 'Paid' : 'Not paid', MARGIN);
  return doc.save();
}

/** Standard base64 of bytes, in plain JavaScript (runs the same on every runtime). */
export function base64(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += abc[n >> 18]! + abc[(n >> 12) & 63]! + abc[(n >> 6) & 63]! + abc[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out += `${abc[n >> 18]}${abc[(n >> 12) & 63]}${rest === 2 ? abc[(n >> 6) & 63] : '='}=`;
  }
  return out;
}

/**
 * tRPC `invoices.pdf`: the PDF of an invoice the caller may read, base64-encoded (tRPC answers JSON;
 * decode `base64` to get the file's bytes).
 */
export async function invoicePdf(
  ctx: Ctx,
  input: InvoiceId,
): Promise<{ filename: string; contentType: string; base64: string }> {
  const invoice = await getInvoice(ctx, input);
  return {
    filename: fileName(invoice, 'pdf'),
    contentType: 'application/pdf',
    base64: base64(await renderInvoicePdf(invoice)),
  };
}
