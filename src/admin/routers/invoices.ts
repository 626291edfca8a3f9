import * as v from 'valibot';
import { IdempotencyKey } from '../../domain/idempotency/once.ts';
import { GenerateInvoices, generateInvoices } from '../../domain/invoices/generateInvoices.ts';
import { getInvoice, InvoiceId } from '../../domain/invoices/getInvoice.ts';
import { invoiceCsv } from '../../domain/invoices/invoiceCsv.ts';
import { invoicePdf } from '../../domain/invoices/invoicePdf.ts';
import { ListInvoices, listInvoices } from '../../domain/invoices/listInvoices.ts';
import { idempotent } from '../idempotent.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

const GenerateWithKey = v.intersect([GenerateInvoices, v.object({ idempotencyKey: v.optional(IdempotencyKey) })]);

/** Invoices: generation per period, reading, and the PDF / CSV downloads, scoped by realm. */
export const invoicesRouter = router({
  /** Invoices the caller may read, newest first; `nextCursor` pages on. */
  list: authed.input(strict(v.optional(ListInvoices, {}))).query(({ ctx, input }) => listInvoices(ctx.ctx, input)),
  /** One invoice with its lines, user and taxes. */
  get: authed.input(strict(InvoiceId)).query(({ ctx, input }) => getInvoice(ctx.ctx, input)),
  /**
   * The invoices of a period (calendar dates, system time zone) for the caller's realms or `userIds`:
   * one per user and period, never a second one. Idempotent with a key too.
   */
  generate: authed.input(strict(GenerateWithKey)).mutation(idempotent('invoices.generate', generateInvoices)),
  /** The PDF, base64-encoded: `{ filename, contentType: 'application/pdf', base64 }`. */
  pdf: authed.input(strict(InvoiceId)).query(({ ctx, input }) => invoicePdf(ctx.ctx, input)),
  /** The CSV text: `{ filename, contentType: 'text/csv; charset=utf-8', csv }`. */
  csv: authed.input(strict(InvoiceId)).query(({ ctx, input }) => invoiceCsv(ctx.ctx, input)),
});
