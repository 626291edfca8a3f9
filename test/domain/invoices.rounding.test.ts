import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createCurrency, createTax, createUser } from '../helpers/factories.ts';
import { createService, createSubscription, rowsOf, setUser } from '../helpers/finance.ts';

/*
 * The rounding rule, against an exact reference (BigInt rationals, no floats): each line's sum is
 * converted at the stored rate and rounded to cents (half away from zero), the total is the sum of the
 * rounded lines, the tax is computed once on that total and rounded to cents, total with tax = total +
 * tax. Random prices, partial months, discounts, exchange rates and (compound) taxes.
 */
const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

type Q = { n: bigint; d: bigint };
const q = (s: string): Q => {
  const [i, f = ''] = s.replace('-', '').split('.');
  const v = { n: BigInt(i! + f) * (s.startsWith('-') ? -1n : 1n), d: 10n ** BigInt(f.length) };
  return v;
};
const mul = (a: Q, b: Q): Q => ({ n: a.n * b.n, d: a.d * b.d });
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const sub = (a: Q, b: Q): Q => add(a, { n: -b.n, d: b.d });
const div = (a: Q, b: Q): Q => ({ n: a.n * b.d, d: a.d * b.n });
const int = (n: number): Q => ({ n: BigInt(n), d: 1n });
/** Rounded half away from zero to `digits` places, as a Q. */
function round(a: Q, digits: number): Q {
  const scale = 10n ** BigInt(digits);
  const sign = a.n * a.d < 0n ? -1n : 1n;
  const n = (a.n < 0n ? -a.n : a.n) * scale;
  const d = a.d < 0n ? -a.d : a.d;
  const r = (2n * n + d) / (2n * d);
  return { n: sign * r, d: scale };
}
const text = (a: Q, digits: number): string => {
  const r = round(a, digits);
  const neg = r.n < 0n;
  const s = (neg ? -r.n : r.n).toString().padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
};

const decimal = (max: number, places: number) =>
  fc.integer({ min: 0, max: max * 10 ** places }).map((n) => (n / 10 ** places).toFixed(places));

const subscription = fc.record({
  price: decimal(500, 6),
  discount: fc.oneof(fc.constant('0.00'), decimal(100, 2)),
  first: fc.integer({ min: 1, max: 31 }),
  days: fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }),
});
const invoiceCase = fc.record({
  subs: fc.array(subscription, { minLength: 1, maxLength: 5 }),
  rate: fc.integer({ min: 1, max: 50_000_000 }).map((n) => (n / 1e6).toFixed(6)),
  taxes: fc.array(decimal(30, 2), { minLength: 1, maxLength: 4 }),
  compound: fc.boolean(),
});

let run = 0;

describe('the rounding rule', () => {
  it('makes lines add up to the total and the tax to the cent, for random invoices', async () => {
    await fc.assert(
      fc.asyncProperty(invoiceCase, async (c) => {
        run++;
        const currency = await createCurrency(api.handle, `R${run}`, c.rate);
        const tax = await createTax(api.handle, {
          tax1Value: c.taxes[0]!,
          ...Object.fromEntries(
            c.taxes.slice(1).flatMap((t, i) => [
              [`tax${i + 2}Enabled`, true],
              [`tax${i + 2}Value`, t],
            ]),
          ),
          compoundTax: c.compound,
        });
        const user = await createUser(api.handle, { currencyId: currency.id });
        await setUser(api.handle, user.id, { postpaid: true, tax_id: tax.id });
        let total: Q = int(0);
        const expectedLines: string[] = [];
        for (const s of c.subs) {
          const svc = await createService(api.handle, { price: s.price });
          const last = s.days === undefined ? 31 : Math.min(31, s.first + s.days - 1);
          const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}`;
          await createSubscription(
            api.handle,
            user.id,
            svc.id,
            `${day(s.first)}T00:00:00Z`,
            s.days === undefined ? null : `${day(last)}T23:59:59Z`,
            { discountPercent: s.discount },
          );
          const gross = round(div(mul(q(s.price), int(last - s.first + 1)), int(31)), 6);
          const sum = sub(gross, round(div(mul(gross, q(s.discount)), int(100)), 6));
          const line = round(mul(sum, q(c.rate)), 2);
          expectedLines.push(text(line, 2));
          total = add(total, line);
        }
        const factor = c.compound
          ? c.taxes.reduce((f, t) => mul(f, add(int(1), div(q(t), int(100)))), int(1))
          : add(
              int(1),
              div(
                c.taxes.reduce((s, t) => add(s, q(t)), int(0)),
                int(100),
              ),
            );
        const taxAmount = round(mul(total, sub(factor, int(1))), 2);
        await admin().invoices.generate.mutate({
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
          userIds: [user.id],
        });
        const [inv] = await rowsOf<Record<string, string>>(
          api.handle,
          sql`select id, total::text, total_tax::text, total_with_tax::text, price::text, price_with_vat::text,
              (select coalesce(sum(total), 0)::text from invoice_details where invoice_id = i.id) as lines_sum
            from invoices i where user_id = ${user.id}`,
        );
        const lines = await rowsOf<{ total: string }>(
          api.handle,
          sql`select total::text from invoice_details where invoice_id = ${inv!.id} order by id`,
        );
        expect(lines.map((l) => l.total)).toEqual(expectedLines);
        expect(inv).toMatchObject({
          total: text(total, 2),
          lines_sum: text(total, 2),
          total_tax: text(taxAmount, 2),
          total_with_tax: text(add(total, taxAmount), 2),
          price: text(div(total, q(c.rate)), 6),
          price_with_vat: text(div(add(total, taxAmount), q(c.rate)), 6),
        });
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
