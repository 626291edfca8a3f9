import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createAccountant,
  createCurrency,
  createReseller,
  createTax,
  createUser,
  nameUser,
} from '../helpers/factories.ts';
import { createService, createSubscription, rowsOf, setUser } from '../helpers/finance.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const JAN = { periodStart: '2026-01-01', periodEnd: '2026-01-31' };
/** PDF.js's metrics of the 14 standard fonts (it warns without them). */
const STANDARD_FONTS = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** A postpaid user of `ownerId` with one monthly subscription of `price`. */
async function billable(ownerId = 0, price = '10') {
  const user = await createUser(api.handle, { ownerId });
  await setUser(api.handle, user.id, { postpaid: true });
  const svc = await createService(api.handle, { name: `Plan ${price}`, price });
  await createSubscription(api.handle, user.id, svc.id, '2025-01-01T00:00:00Z');
  return user;
}

/**
 * The text of a PDF as an independent reader sees it (Mozilla's PDF.js, not pdf-lib that wrote it): one
 * line per text line, the runs of a line joined.
 */
async function pdfText(base64: string): Promise<string> {
  const pdf = await getDocument({
    data: new Uint8Array(Buffer.from(base64, 'base64')),
    standardFontDataUrl: STANDARD_FONTS,
    isEvalSupported: false,
  }).promise;
  const lines: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    let line = '';
    for (const item of (await (await pdf.getPage(n)).getTextContent()).items) {
      if (!('str' in item)) continue;
      line += item.str;
      if (item.hasEOL) {
        lines.push(line);
        line = '';
      }
    }
    if (line) lines.push(line);
  }
  await pdf.destroy();
  return lines.join('\n');
}

describe('invoices (tRPC)', () => {
  it('renders an invoice as a PDF whose text carries the number, names and amounts', async () => {
    const eur = await createCurrency(api.handle, 'EUR', '0.9');
    const tax = await createTax(api.handle, { tax1Name: 'VAT', tax1Value: '21', totalTaxName: 'VAT' });
    const user = await billable(0, '100');
    await setUser(api.handle, user.id, { currency_id: eur.id, tax_id: tax.id, agreement_number: 'AG-77' });
    await nameUser(api.handle, user.id, 'Jonas', 'Žemaitis');
    const svc = await createService(api.handle, { name: 'Static IP', price: '5.55' });
    await createSubscription(api.handle, user.id, svc.id, '2026-01-16T00:00:00Z');
    await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
    const { invoices } = await admin().invoices.list.query({ userId: user.id });
    expect(invoices).toEqual([
      expect.objectContaining({
        userId: user.id,
        currency: 'EUR',
        total: '92.58',
        totalWithTax: '112.02',
        paid: false,
      }),
    ]);
    const id = invoices[0]!.id;
    const doc = await admin().invoices.get.query({ id });
    // 100 × 0.9 = 90.00; 5.55 × 16/31 = 2.864516 × 0.9 = 2.578064 → 2.58; tax 92.58 × 0.21 = 19.4418 → 19.44.
    expect(doc.lines.map((l) => [l.name, l.price, l.sum])).toEqual([
      ['Plan 100', '90.0000', '90.00'],
      ['Static IP', '2.5781', '2.58'],
    ]);
    expect(doc).toMatchObject({
      total: '92.58',
      totalTax: '19.44',
      totalWithTax: '112.02',
      userName: 'Jonas Žemaitis',
    });
    const pdf = await admin().invoices.pdf.query({ id });
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe(`${doc.number}.pdf`);
    const text = await pdfText(pdf.base64);
    for (const s of [
      doc.number,
      'Jonas Žemaitis',
      'Agreement No.: AG-77',
      'Plan 100',
      'Static IP',
      '90.00',
      '2.58',
      '92.58',
      'VAT (VAT 21%)',
      '19.44',
      '112.02',
      'Total (EUR)',
      'Period: 2026-01-01 - 2026-01-31',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('renders the CSV, and a PDF for names the standard fonts cannot draw', async () => {
    const user = await billable(0, '12.5');
    await nameUser(api.handle, user.id, 'Иван', 'Smith, "Jr"');
    await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
    const { invoices } = await admin().invoices.list.query({ userId: user.id });
    const id = invoices[0]!.id;
    const csv = await admin().invoices.csv.query({ id });
    const n = invoices[0]!.number;
    const head = `${n},${invoices[0]!.issueDate},2026-01-01,2026-01-31,${user.username},USD`;
    expect(csv).toEqual({
      filename: `${n}.csv`,
      contentType: 'text/csv; charset=utf-8',
      csv: [
        'invoice_number,issue_date,period_start,period_end,username,currency,item,quantity,price,discount,sum',
        `${head},Plan 12.5,1,12.5000,0.0000,12.50`,
        `${head},Total,,,,12.50`,
        `${head},TAX,,,,0.00`,
        `${head},Total with tax,,,,12.50`,
        '',
      ].join('\r\n'),
    });
    const text = await pdfText((await admin().invoices.pdf.query({ id })).base64);
    expect(text).toContain('???? Smith, "Jr"');
    expect(text).toContain('12.50');
  });

  it('keeps every reader to its realm: reseller, accountant, simple user', async () => {
    const r1 = await createReseller(api.handle);
    const r2 = await createReseller(api.handle);
    const u1 = await billable(r1.id, '1');
    const u2 = await billable(r2.id, '2');
    const a0 = await billable(0, '3');
    await admin().invoices.generate.mutate({ ...JAN, userIds: [u1.id, u2.id, a0.id] });
    const idOf = async (userId: number) => (await admin().invoices.list.query({ userId })).invoices[0]!.id;
    const [i1, i2, i0] = [await idOf(u1.id), await idOf(u2.id), await idOf(a0.id)];

    const reseller = await callerAs(api, r1.username);
    expect((await reseller.invoices.list({})).invoices.map((i) => i.userId)).toEqual([u1.id]);
    expect((await reseller.invoices.get({ id: i1 })).userId).toBe(u1.id);
    for (const id of [i2, i0]) {
      expect((await trpcError(() => reseller.invoices.get({ id }))).code).toBe('NOT_FOUND');
      expect((await trpcError(() => reseller.invoices.pdf({ id }))).code).toBe('NOT_FOUND');
      expect((await trpcError(() => reseller.invoices.csv({ id }))).code).toBe('NOT_FOUND');
    }
    const user = await callerAs(api, u2.username);
    expect((await user.invoices.list({})).invoices.map((i) => i.id)).toEqual([i2]);
    expect((await trpcError(() => user.invoices.get({ id: i1 }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => user.invoices.generate(JAN))).code).toBe('FORBIDDEN');

    const reader = await createAccountant(api.handle, { see_financial_data: 1 });
    const asReader = await callerAs(api, reader.username);
    const seen = (await asReader.invoices.list({ limit: 1000 })).invoices.map((i) => i.id);
    expect(seen).toContain(i0);
    expect(seen).not.toContain(i1);
    expect((await trpcError(() => asReader.invoices.generate(JAN))).code).toBe('FORBIDDEN');
    const blind = await callerAs(api, (await createAccountant(api.handle, {})).username);
    expect((await trpcError(() => blind.invoices.list({}))).code).toBe('FORBIDDEN');
    // A reseller cannot generate for another realm's users; an accountant with write generates the admin's.
    expect((await trpcError(() => reseller.invoices.generate({ ...JAN, userIds: [u2.id] }))).code).toBe('NOT_FOUND');
    const writer = await callerAs(api, (await createAccountant(api.handle, { see_financial_data: 2 })).username);
    const a1 = await billable(0, '4');
    const made = await writer.invoices.generate({ ...JAN, userIds: [a1.id] });
    expect(made.realms.map((r) => r.ownerId)).toEqual([0]);
    expect((await trpcError(() => writer.invoices.generate({ ...JAN, userIds: [u1.id] }))).code).toBe('NOT_FOUND');
  });

  it('refuses a bad period and changes nothing', async () => {
    const user = await billable();
    for (const period of [
      { periodStart: '2026-02-01', periodEnd: '2026-01-31' },
      { periodStart: '2026-02-30', periodEnd: '2026-03-31' },
      { periodStart: '2025-01-01', periodEnd: '2026-01-31' },
      { periodStart: 'yesterday', periodEnd: '2026-01-31' },
    ]) {
      const error = await trpcError(() =>
        callerAs(api, 'admin').then((c) => c.invoices.generate({ ...period, userIds: [user.id] })),
      );
      expect(error.code).toBe('BAD_REQUEST');
    }
    expect((await admin().invoices.list.query({ userId: user.id })).invoices).toEqual([]);
  });

  it('generates once for 50 concurrent retries with one idempotency key, all answered alike', async () => {
    const reseller = await createReseller(api.handle);
    const users = [await billable(reseller.id, '1'), await billable(reseller.id, '2')];
    const input = { ...JAN, userIds: users.map((u) => u.id), idempotencyKey: 'gen-jan-1' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => admin().invoices.generate.mutate(input)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({
      created: 2,
      realms: [{ ownerId: reseller.id, firstNumber: 'INV0000001', lastNumber: 'INV0000002' }],
    });
    const [row] = await rowsOf<{ n: number }>(
      api.handle,
      sql`select count(*)::int as n from invoices where owner_id = ${reseller.id}`,
    );
    expect(row!.n).toBe(2);
    const actions = await rowsOf<{ data: string; data2: string }>(
      api.handle,
      sql`select data, data2 from actions where action = 'invoices_generated' and data2 = '2' and user_id = 0`,
    );
    expect(actions.length).toBeGreaterThanOrEqual(1);
    const reused = await trpcError(() =>
      callerAs(api, 'admin').then((c) => c.invoices.generate({ ...input, periodStart: '2026-01-02' })),
    );
    expect(reused.code).toBe('CONFLICT');
  });
});
