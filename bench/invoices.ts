/**
 * `npm run bench:invoices` — monthly invoice generation at scale, on a throwaway Postgres database,
 * through the real app (createApp + app.request, no network):
 *   1. loads 10,000 postpaid users through tRPC `users.create` (a tenth in EUR, a third with compound
 *      taxes), 3 services through `services.create` and 30,000 subscriptions through
 *      `subscriptions.create` (3 per user: two monthly fees, one of them from mid-month, and a daily fee);
 *   2. times `invoices.generate` for January (tRPC, one call): target ≤ 30 s on Postgres;
 *   3. checks the result (10,000 invoices, 30,000 lines, numbers 1…10,000 without gaps, every invoice
 *      total = Σ its rounded lines), then times the re-run (nothing to do) and PDF / CSV renders.
 * Prints figures and ratios; never passes or fails (other work on the machine skews absolute numbers).
 *
 *   npm run bench:invoices [-- --quick]   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { AppRouter } from '../src/admin/router.ts';
import { createApp } from '../src/app.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryRows } from '../src/db/rows.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';

const QUICK = process.argv.includes('--quick');
const USERS = QUICK ? 1_000 : 10_000;
const TARGET_S = 30;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `bench-${randomBytes(8).toString('hex')}`;
const config = benchConfig({ MOR_ADMIN_TOKEN: TOKEN });
const JAN = { periodStart: '2026-01-01', periodEnd: '2026-01-31' };
const log = (...a: unknown[]) => console.log(`[bench:invoices ${new Date().toISOString().slice(11, 19)}]`, ...a);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

function clientOf(app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> }) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: 'http://bench/trpc',
        maxItems: 50,
        headers: { authorization: `Bearer ${TOKEN}` },
        fetch: async (url, init) => app.request(String(url), init as RequestInit),
      }),
    ],
  });
}
type Client = ReturnType<typeof clientOf>;

/** 10,000 users through tRPC users.create, 16 requests in flight (PBKDF2 dominates: ~70 ms a user). */
async function loadUsers(admin: Client): Promise<number[]> {
  const eur = await admin.currencies.create.mutate({ name: 'EUR', fullName: 'Euro', exchangeRate: '0.9' });
  const taxes = {
    tax1Name: 'VAT',
    tax1Value: '21',
    tax2Enabled: true,
    tax2Name: 'City',
    tax2Value: '2',
    compoundTax: true,
  };
  const ids: number[] = new Array(USERS);
  let next = 0;
  const t = performance.now();
  const worker = async () => {
    for (let i = next++; i < USERS; i = next++) {
      const user = await admin.users.create.mutate({
        username: `bench_inv_${i}`,
        password: `Bench-password-${i}`,
        postpaid: true,
        ...(i % 10 === 0 ? { currencyId: eur.id } : {}),
        ...(i % 3 === 0 ? { taxes } : {}),
      });
      ids[i] = user.id;
      if ((i + 1) % 2_000 === 0)
        log(`  ${(i + 1).toLocaleString()} users (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

/**
 * The three services through tRPC `services.create` and 3 subscriptions per user through
 * `subscriptions.create` (16 requests in flight): "Line rent" since June 2025, "Static IP" from a day
 * of January, "Voicemail" (daily) ending on 20 January for every fourth user; every fifth user has a
 * 10 % discount. The users are postpaid, so nothing is charged: the invoices bill them.
 */
async function loadSubscriptions(admin: Client, ids: number[]): Promise<number> {
  const rent = await admin.services.create.mutate({ name: 'Line rent', type: 'periodic_fee', price: '12.5' });
  const ip = await admin.services.create.mutate({ name: 'Static IP', type: 'periodic_fee', price: '3.333333' });
  const mail = await admin.services.create.mutate({
    name: 'Voicemail',
    type: 'periodic_fee',
    period: 'day',
    price: '0.071',
  });
  const jobs = ids.flatMap((userId) => {
    const discountPercent = userId % 5 === 0 ? '10' : '0';
    const day = String(1 + (userId % 28)).padStart(2, '0');
    return [
      { userId, serviceId: rent.id, activationStart: '2025-06-01T00:00:00Z', discountPercent },
      { userId, serviceId: ip.id, activationStart: `2026-01-${day}T00:00:00Z`, discountPercent },
      {
        userId,
        serviceId: mail.id,
        activationStart: '2025-06-01T00:00:00Z',
        ...(userId % 4 === 0 ? { activationEnd: '2026-01-20T12:00:00Z' } : {}),
        discountPercent,
      },
    ];
  });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) await admin.subscriptions.create.mutate(jobs[i]!);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return jobs.length;
}

async function main() {
  log(
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; other work on this machine skews absolute numbers`,
  );
  const root = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `openmor_bench_invoices_${randomBytes(3).toString('hex')}`;
  await root.unsafe(`create database ${name}`);
  const results: Record<string, unknown> = { quick: QUICK, users: USERS, loadavg: os.loadavg() };
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const handle = await connectPostgres(url.toString(), { max: 8 });
    try {
      await migrate(handle);
      await bootstrap(handle, config);
      const { app, close } = await createApp({ handle, log: silentLog });
      const admin = clientOf(app);
      try {
        let t = performance.now();
        const ids = await loadUsers(admin);
        results.loadUsersS = (performance.now() - t) / 1000;
        log(
          `loaded ${USERS.toLocaleString()} users through tRPC users.create in ${(results.loadUsersS as number).toFixed(1)} s`,
        );
        t = performance.now();
        const made3 = await loadSubscriptions(admin, ids);
        results.loadSubscriptionsS = (performance.now() - t) / 1000;
        log(
          `loaded ${made3.toLocaleString()} subscriptions through tRPC subscriptions.create in ${(results.loadSubscriptionsS as number).toFixed(1)} s` +
            ` (${(((results.loadSubscriptionsS as number) * 1000) / made3).toFixed(2)} ms each, 16 in flight)`,
        );
        await handle.db.execute(sql`vacuum analyze`);

        t = performance.now();
        const made = await admin.invoices.generate.mutate(JAN);
        const ms = performance.now() - t;
        results.generateMs = ms;
        results.created = made.created;
        log(
          `invoices.generate (January, one tRPC call): ${made.created.toLocaleString()} invoices in ${(ms / 1000).toFixed(2)} s` +
            ` = ${(ms / made.created).toFixed(3)} ms per invoice, ${Math.round((made.created * 1000) / ms).toLocaleString()} invoices/s;` +
            ` target ≤ ${TARGET_S} s (${((ms / 1000 / TARGET_S) * 100).toFixed(0)}% of it)`,
        );

        const [check] = await queryRows<Record<string, number | string | boolean>>(
          handle.db,
          sql`select (select count(*)::int from invoices) as invoices, (select count(*)::int from invoice_details) as lines,
              (select min(seq) = 1 and max(seq) = count(*) from invoices where owner_id = 0) as gap_free,
              (select count(*)::int from invoices i where total <> (select sum(total) from invoice_details d where d.invoice_id = i.id)) as mismatched,
              (select count(*)::int from invoices where total_with_tax <> total + total_tax) as bad_tax,
              (select sum(total_with_tax)::text from invoices where currency = 'USD') as usd,
              (select sum(total_with_tax)::text from invoices where currency = 'EUR') as eur`,
        );
        results.check = check;
        log(
          `check: ${check!.invoices} invoices, ${check!.lines} lines, numbers gap-free: ${check!.gap_free}, invoices whose lines do not add up: ${check!.mismatched}, tax mismatches: ${check!.bad_tax}; billed ${check!.usd} USD + ${check!.eur} EUR with tax`,
        );

        t = performance.now();
        const again = await admin.invoices.generate.mutate(JAN);
        results.rerunMs = performance.now() - t;
        log(`re-run of the same period: ${again.created} new invoices in ${(results.rerunMs as number).toFixed(0)} ms`);

        const list = await admin.invoices.list.query({ limit: 50 });
        const pdfMs: number[] = [];
        const csvMs: number[] = [];
        for (const inv of list.invoices) {
          let s = performance.now();
          await admin.invoices.pdf.query({ id: inv.id });
          pdfMs.push(performance.now() - s);
          s = performance.now();
          await admin.invoices.csv.query({ id: inv.id });
          csvMs.push(performance.now() - s);
        }
        results.pdfP50Ms = pct(pdfMs, 0.5);
        results.csvP50Ms = pct(csvMs, 0.5);
        log(
          `invoices.pdf p50 ${pct(pdfMs, 0.5).toFixed(1)} ms (p95 ${pct(pdfMs, 0.95).toFixed(1)}), invoices.csv p50 ${pct(csvMs, 0.5).toFixed(1)} ms over ${pdfMs.length} invoices`,
        );
      } finally {
        await close();
      }
    } finally {
      await handle.close();
    }
  } finally {
    await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  }
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/invoices-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`written ${file}`);
}

await main();
