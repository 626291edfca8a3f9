import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { RowId } from '../ids.ts';
import { systemZone } from '../settings/systemZone.ts';
import { type InvoiceDocument, loadInvoices } from './loadInvoices.ts';
import { readableInvoices } from './scope.ts';

export const InvoiceId = v.strictObject({ id: RowId });
export type InvoiceId = v.InferInput<typeof InvoiceId>;

/** One invoice with its lines, if the caller may read it; else NOT_FOUND (existence is not revealed). */
export async function getInvoice(ctx: Ctx, raw: InvoiceId): Promise<InvoiceDocument> {
  const { id } = v.parse(InvoiceId, raw);
  const [invoice] = await loadInvoices(
    ctx.db,
    sql`i.id = ${id}::int and ${readableInvoices(ctx.actor)}`,
    await systemZone(ctx.db),
    1,
  );
  if (!invoice) throw notFound('invoice', 'Invoice was not found');
  return invoice;
}
