import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/domain/ctx.ts';
import { generateInvoicesJob } from '../../src/domain/jobs/generateInvoices.ts';
import { runJob } from '../../src/domain/jobs/runJob.ts';
import { callerAs, clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createCurrency, createReseller, createTax, createUser } from '../helpers/factories.ts';
import { createService, createSubscription, insertCharge, rowsOf, setUser } from '../helpers/finance.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const JAN = { periodStart: '2026-01-01', periodEnd: '2026-01-31' };

const invoicesOf = (userId: number) =>
  rowsOf<Record<string, unknown>>(
    api.handle,
    sql`select number, seq, owner_id, to_char(period_start, 'YYYY-MM-DD') as period_start, invoice_type, currency,
        exchange_rate::text, total::text, total_tax::text, total_with_tax::text, price::text, price_with_vat::text,
        taxes, paid from invoices where user_id = ${userId} order by id`,
  );
const linesOf = (userId: number) =>
  rowsOf<Record<string, unknown>>(
    api.handle,
    sql`select d.name, d.kind, d.quantity::text, d.price::text, d.discount::text, d.sum::text, d.total::text
      from invoice_details d join invoices i on i.id = d.invoice_id where i.user_id = ${userId} order by d.id`,
  );

describe('invoice generation', () => {
  it('puts the calls of the period first: charged calls, their price and billed time, local dates', async () => {
    const user = await createUser(api.handle);
    await setUser(api.handle, user.id, { postpaid: true });
    await api.handle.db.execute(sql`select openmor_calls_partition(t) from (values
      ('2025-12-31T12:00:00Z'::timestamptz), ('2026-01-15T00:00:00Z'), ('2026-02-01T12:00:00Z')) v(t)`);
    const call = (id: string, at: string, price: string, billsec: number, disposition = 'ANSWERED') =>
      api.handle.db.execute(sql`insert into calls (user_id, calldate, uniqueid, disposition, rating_status, user_price,
          user_billsec, billsec) values (${user.id}, ${at}::timestamptz, ${id}, ${disposition}, 'rated', ${price}::numeric,
          ${billsec}, ${billsec})`);
    await call('a', '2026-01-01T00:00:00Z', '0.123456', 60); // first instant of the period (UTC system zone)
    await call('b', '2026-01-15T10:00:00Z', '1.5', 125);
    await call('c', '2026-01-31T23:59:59Z', '0.000001', 1);
    await call('d', '2026-01-20T10:00:00Z', '0', 0, 'NO ANSWER'); // costs nothing: not a line
    await call('e', '2025-12-31T23:59:59Z', '9', 60); // December
    await call('f', '2026-02-01T00:00:00Z', '9', 60); // February
    await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
    expect(await linesOf(user.id)).toEqual([
      {
        name: 'Calls',
        kind: 'calls',
        quantity: '3.000000',
        price: '1.623457',
        discount: '0.000000',
        sum: '1.623457',
        total: '1.62',
      },
    ]);
    expect(await invoicesOf(user.id)).toMatchObject([{ total: '1.62' }]);
  });

  it('bills each subscription of a postpaid user for its overlap with the period', async () => {
    const user = await createUser(api.handle);
    await setUser(api.handle, user.id, { postpaid: true });
    const monthly = await createService(api.handle, { name: 'Line rent', price: '10' });
    const monthly31 = await createService(api.handle, { name: 'Phone rent', price: '31' });
    const daily = await createService(api.handle, { name: 'Daily', price: '0.5', period: 'day' });
    const once = await createService(api.handle, { name: 'Setup', price: '7', type: 'one_time_fee' });
    await createSubscription(api.handle, user.id, monthly.id, '2025-11-03T10:00:00Z');
    await createSubscription(api.handle, user.id, monthly31.id, '2026-01-17T08:00:00Z');
    await createSubscription(api.handle, user.id, daily.id, '2025-12-01T00:00:00Z', '2026-01-10T12:00:00Z');
    await createSubscription(api.handle, user.id, once.id, '2026-01-05T00:00:00Z');
    await createSubscription(api.handle, user.id, once.id, '2025-12-20T00:00:00Z'); // billed in December
    await createSubscription(api.handle, user.id, monthly.id, '2026-01-01T00:00:00Z', null, { discountPercent: '25' });
    await createSubscription(api.handle, user.id, monthly.id, '2025-06-01T00:00:00Z', '2025-12-31T23:59:59Z'); // ended

    const result = await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
    expect(result).toEqual({
      ...JAN,
      created: 1,
      realms: [
        { ownerId: 0, created: 1, firstNumber: expect.stringMatching(/^INV\d{7}$/), lastNumber: expect.any(String) },
      ],
    });
    expect(await linesOf(user.id)).toEqual([
      {
        name: 'Line rent',
        kind: 'service',
        quantity: '1.000000',
        price: '10.000000',
        discount: '0.000000',
        sum: '10.000000',
        total: '10.00',
      },
      {
        name: 'Phone rent',
        kind: 'service',
        quantity: '1.000000',
        price: '15.000000',
        discount: '0.000000',
        sum: '15.000000',
        total: '15.00',
      },
      {
        name: 'Daily',
        kind: 'service',
        quantity: '10.000000',
        price: '0.500000',
        discount: '0.000000',
        sum: '5.000000',
        total: '5.00',
      },
      {
        name: 'Setup',
        kind: 'service',
        quantity: '1.000000',
        price: '7.000000',
        discount: '0.000000',
        sum: '7.000000',
        total: '7.00',
      },
      {
        name: 'Line rent',
        kind: 'service',
        quantity: '1.000000',
        price: '10.000000',
        discount: '2.500000',
        sum: '7.500000',
        total: '7.50',
      },
    ]);
    expect(await invoicesOf(user.id)).toEqual([
      expect.objectContaining({
        period_start: '2026-01-01',
        invoice_type: 'postpaid',
        currency: 'USD',
        total: '44.50',
        total_tax: '0.00',
        total_with_tax: '44.50',
        price: '44.500000',
        price_with_vat: '44.500000',
        taxes: { taxes: [], compound: false, totalTaxName: 'TAX' },
        paid: false,
      }),
    ]);
  });

  it("converts to the user's currency, rounds each line to cents and taxes the total once", async () => {
    const eur = await createCurrency(api.handle, 'EUR', '0.9');
    const tax = await createTax(api.handle, {
      tax1Name: 'VAT',
      tax1Value: '21',
      tax2Enabled: true,
      tax2Name: 'City',
      tax2Value: '2',
      compoundTax: true,
    });
    const user = await createUser(api.handle, { currencyId: eur.id });
    await setUser(api.handle, user.id, { postpaid: true, tax_id: tax.id });
    const a = await createService(api.handle, { name: 'A', price: '10.01' });
    const b = await createService(api.handle, { name: 'B', price: '3.333333' });
    await createSubscription(api.handle, user.id, a.id, '2025-01-01T00:00:00Z');
    await createSubscription(api.handle, user.id, b.id, '2026-01-16T00:00:00Z');
    await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
    // 10.01 × 0.9 = 9.009 → 9.01; 3.333333 × 16/31 = 1.720430 (6 d.p.) × 0.9 = 1.548387 → 1.55.
    expect((await linesOf(user.id)).map((l) => [l.sum, l.total])).toEqual([
      ['10.010000', '9.01'],
      ['1.720430', '1.55'],
    ]);
    // 10.56 × (1.21 × 1.02 − 1) = 2.473152 → 2.47.
    expect(await invoicesOf(user.id)).toEqual([
      expect.objectContaining({
        currency: 'EUR',
        exchange_rate: '0.900000000000',
        total: '10.56',
        total_tax: '2.47',
        total_with_tax: '13.03',
        price: '11.733333',
        price_with_vat: '14.477778',
        taxes: {
          taxes: [
            { name: 'VAT', percent: '21.0000' },
            { name: 'City', percent: '2.0000' },
          ],
          compound: true,
          totalTaxName: 'TAX',
        },
      }),
    ]);
  });

  it('lists what prepaid users were charged (less refunds), marked paid', async () => {
    const user = await createUser(api.handle);
    const svc = await createService(api.handle, { name: 'Prepaid plan', price: '20' });
    const sub = await createSubscription(api.handle, user.id, svc.id, '2025-12-01T00:00:00Z');
    await insertCharge(api.handle, {
      subscriptionId: sub.id,
      userId: user.id,
      periodStart: '2025-12-01',
      periodEnd: '2025-12-31',
      amount: '20',
    });
    await insertCharge(api.handle, {
      subscriptionId: sub.id,
      userId: user.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
      amount: '20',
      refunded: '5',
    });
    await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
    expect(await linesOf(user.id)).toEqual([
      {
        name: 'Prepaid plan',
        kind: 'service',
        quantity: '1.000000',
        price: '15.000000',
        discount: '0.000000',
        sum: '15.000000',
        total: '15.00',
      },
    ]);
    expect(await invoicesOf(user.id)).toEqual([
      expect.objectContaining({ invoice_type: 'prepaid', total: '15.00', paid: true }),
    ]);
  });

  it('reads activation dates in the system time zone', async () => {
    await setUser(api.handle, 0, { time_zone: 'Vilnius' }); // UTC+2 in winter
    try {
      const user = await createUser(api.handle);
      await setUser(api.handle, user.id, { postpaid: true });
      const once = await createService(api.handle, { name: 'Setup', price: '7', type: 'one_time_fee' });
      const daily = await createService(api.handle, { name: 'Daily', price: '1', period: 'day' });
      await createSubscription(api.handle, user.id, once.id, '2025-12-31T22:30:00Z'); // 2026-01-01 00:30 local
      await createSubscription(api.handle, user.id, once.id, '2026-01-31T22:30:00Z'); // 2026-02-01 local
      await createSubscription(api.handle, user.id, daily.id, '2026-01-30T23:00:00Z'); // from 2026-01-31 local
      await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] });
      expect((await linesOf(user.id)).map((l) => [l.name, l.quantity, l.total])).toEqual([
        ['Setup', '1.000000', '7.00'],
        ['Daily', '1.000000', '1.00'],
      ]);
    } finally {
      await setUser(api.handle, 0, { time_zone: 'UTC' });
    }
  });

  it('never makes a second invoice for a user and period, nor for an overlapping one', async () => {
    const user = await createUser(api.handle);
    await setUser(api.handle, user.id, { postpaid: true });
    const svc = await createService(api.handle, { price: '1' });
    await createSubscription(api.handle, user.id, svc.id, '2025-01-01T00:00:00Z');
    expect((await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] })).created).toBe(1);
    expect((await admin().invoices.generate.mutate({ ...JAN, userIds: [user.id] })).created).toBe(0);
    const overlap = { periodStart: '2026-01-15', periodEnd: '2026-02-14', userIds: [user.id] };
    expect((await admin().invoices.generate.mutate(overlap)).created).toBe(0);
    expect(await invoicesOf(user.id)).toHaveLength(1);
    const feb = { periodStart: '2026-02-01', periodEnd: '2026-02-28', userIds: [user.id] };
    expect((await admin().invoices.generate.mutate(feb)).created).toBe(1);
  });

  it('skips users without lines and users who get no invoices', async () => {
    const idle = await createUser(api.handle);
    await setUser(api.handle, idle.id, { postpaid: true });
    const off = await createUser(api.handle);
    await setUser(api.handle, off.id, { postpaid: true, generate_invoice: false });
    const svc = await createService(api.handle, { price: '1' });
    await createSubscription(api.handle, off.id, svc.id, '2025-01-01T00:00:00Z');
    const result = await admin().invoices.generate.mutate({ ...JAN, userIds: [idle.id, off.id] });
    expect(result.created).toBe(0);
  });

  it('numbers each realm on its own, without gaps', async () => {
    const r1 = await createReseller(api.handle);
    const r2 = await createReseller(api.handle);
    const svc = await createService(api.handle, { price: '2' });
    const users = [];
    for (const owner of [r1.id, r1.id, r2.id, r1.id]) {
      const u = await createUser(api.handle, { ownerId: owner });
      await setUser(api.handle, u.id, { postpaid: true });
      await createSubscription(api.handle, u.id, svc.id, '2025-01-01T00:00:00Z');
      users.push(u);
    }
    const result = await admin().invoices.generate.mutate({ ...JAN, userIds: users.map((u) => u.id) });
    expect(result.realms).toEqual([
      { ownerId: r1.id, created: 3, firstNumber: 'INV0000001', lastNumber: 'INV0000003' },
      { ownerId: r2.id, created: 1, firstNumber: 'INV0000001', lastNumber: 'INV0000001' },
    ]);
    // A reseller generates for its own realm only: the next number follows on.
    const late = await createUser(api.handle, { ownerId: r2.id });
    await setUser(api.handle, late.id, { postpaid: true });
    await createSubscription(api.handle, late.id, svc.id, '2025-01-01T00:00:00Z');
    const own = await (await callerAs(api, r2.username)).invoices.generate(JAN);
    expect(own.realms).toEqual([{ ownerId: r2.id, created: 1, firstNumber: 'INV0000002', lastNumber: 'INV0000002' }]);
  });

  it('stays gap-free and makes one invoice per user under concurrent generation', async () => {
    const reseller = await createReseller(api.handle);
    const svc = await createService(api.handle, { price: '3' });
    const ids: number[] = [];
    for (let i = 0; i < 24; i++) {
      const u = await createUser(api.handle, { ownerId: reseller.id });
      await setUser(api.handle, u.id, { postpaid: true });
      await createSubscription(api.handle, u.id, svc.id, '2025-01-01T00:00:00Z');
      ids.push(u.id);
    }
    const feb = { periodStart: '2026-02-01', periodEnd: '2026-02-28' };
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        admin().invoices.generate.mutate({
          ...(i % 2 ? JAN : feb),
          userIds: i % 3 === 0 ? ids : ids.filter((_, k) => k % 3 === i % 3),
        }),
      ),
    );
    expect(runs.reduce((n, r) => n + r.created, 0)).toBe(48);
    const rows = await rowsOf<{ seq: number; user_id: number; period_start: string }>(
      api.handle,
      sql`select seq, user_id, to_char(period_start, 'YYYY-MM-DD') as period_start from invoices
        where owner_id = ${reseller.id} order by seq`,
    );
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => `${r.user_id}/${r.period_start}`)).size).toBe(48);
    const [counter] = await rowsOf<{ last_seq: number }>(
      api.handle,
      sql`select last_seq from invoice_counters where owner_id = ${reseller.id}`,
    );
    expect(counter!.last_seq).toBe(48);
  });

  it('runs monthly as a job for the previous month, once', async () => {
    const reseller = await createReseller(api.handle);
    const u = await createUser(api.handle, { ownerId: reseller.id });
    await setUser(api.handle, u.id, { postpaid: true });
    const svc = await createService(api.handle, { price: '4' });
    await createSubscription(api.handle, u.id, svc.id, '2025-01-01T00:00:00Z');
    const at = (iso: string) => ({ db: api.handle.db, clock: () => new Date(iso), log: silentLog });
    // On the 1st (UTC) the month before may still run somewhere west: the job still bills the one before.
    expect(generateInvoicesJob.periodOf(new Date('2026-04-01T12:00:00Z'))).toBe('2026-02');
    expect(generateInvoicesJob.periodOf(new Date('2026-04-02T00:00:00Z'))).toBe('2026-03');
    const first = await runJob(at('2026-04-02T01:00:00Z'), generateInvoicesJob);
    expect(first).toMatchObject({ period: '2026-03', ran: true });
    expect(await invoicesOf(u.id)).toEqual([expect.objectContaining({ period_start: '2026-03-01', total: '4.00' })]);
    const again = await runJob(at('2026-04-02T02:00:00Z'), generateInvoicesJob, { force: true });
    expect(again).toMatchObject({ ran: true, result: { created: 0 } });
    expect(await invoicesOf(u.id)).toHaveLength(1);
    expect((await admin().jobs.list.query()).map((j) => j.name)).toContain('generateInvoices');
  });
});
