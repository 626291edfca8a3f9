/**
 * `npm run bench:routing` — routeCall (the route a switch asks for) on a throwaway Postgres database:
 *   1. through the public tRPC API (the admin's procedures, in process): 20 providers, each with its
 *      own provider tariff of 100,000 rates (rates.upsertMany), one LCR (order price) holding them all,
 *      a user routing by it with a device;
 *   2. checks one route: 20 steps, cheapest first, each priced at its tariff's rate;
 *   3. times routeCall for random numbers (a rated prefix + 6 digits) with 32 concurrent callers over a
 *      pool of 32 connections for SECONDS seconds (after a warm-up); prints p50 / p99 / mean and calls/s.
 * Target: p50 ≤ 2 ms. Prints figures; never passes or fails (other work on the machine skews them).
 *
 *   SECONDS=10 PROVIDERS=20 RATES=100000 CONCURRENCY=32 npm run bench:routing
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *   KEEP_DB=1 keeps the seeded database (its name is printed); BENCH_DB=<name> reuses one, skipping the load.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { appRouter } from '../src/admin/router.ts';
import { createApp } from '../src/app.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryRows } from '../src/db/rows.ts';
import { loadAuth } from '../src/domain/auth/loadAuth.ts';
import { type Ctx, silentLog } from '../src/domain/ctx.ts';
import { routeCall } from '../src/domain/routing/routeCall.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';

const SECONDS = Number(process.env.SECONDS ?? 10);
const PROVIDERS = Number(process.env.PROVIDERS ?? 20);
const RATES = Number(process.env.RATES ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (...a: unknown[]) => console.log(`[bench:routing ${new Date().toISOString().slice(11, 19)}]`, ...a);

/** A deterministic price per provider and prefix, 0.0001 … 0.0997. */
const price = (p: number, i: number) => (((i * 7919 + p * 104_729) % 997) + 1) / 10_000;
const randomNumber = () =>
  `${1000 + Math.floor(Math.random() * RATES)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const reuse = process.env.BENCH_DB;
  const keep = reuse !== undefined || process.env.KEEP_DB === '1';
  const name = reuse ?? `openmor_bench_routing_${randomBytes(4).toString('hex')}`;
  const root = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  if (!reuse) await root.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), { max: CONCURRENCY });
  log(
    `${os.cpus().length} CPUs, loadavg ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; database ${name}`,
  );
  try {
    await migrate(handle);
    await bootstrap(handle, benchConfig());
    // As the server runs: auth cache and rate index on (RATE_INDEX_MAX_MB, default 512).
    const app = await createApp({
      handle,
      log: { ...silentLog, error: (msg, data) => console.error(msg, data) },
      cacheAuth: true,
      rateIndexMaxMb: Number(process.env.RATE_INDEX_MAX_MB ?? 512),
    });
    try {
      const { account } = await loadAuth(handle.db, { by: 'username', value: 'admin' });
      const ctx: Ctx = {
        db: handle.db,
        actor: { ...account!, apiLevels: null },
        clock: () => new Date(),
        log: silentLog,
        ip: '127.0.0.1',
        invalidateAuth: () => app.invalidateAuth(),
        rateIndex: app.rateIndex,
      };
      const admin = appRouter.createCaller({ ctx, handle, rateIndex: app.rateIndex, xmlApi: app.xmlApi });

      let t = performance.now();
      let device: { id: number };
      if (reuse) {
        const [row] = await queryRows<{ id: number }>(
          handle.db,
          sql`select d.id from devices d join users u on u.id = d.user_id where u.username = 'bench_router' limit 1`,
        );
        device = row!;
        log(`reusing ${name}`);
      } else {
        const lcr = await admin.lcrs.create({ name: 'Bench LCR', order: 'price' });
        for (let p = 0; p < PROVIDERS; p++) {
          const tariff = await admin.tariffs.create({ name: `Bench provider ${p}`, purpose: 'provider' });
          const rates = Array.from({ length: RATES }, (_, i) => ({
            prefix: String(1000 + i),
            price: price(p, i).toFixed(4),
          }));
          await admin.rates.upsertMany({ tariffId: tariff.id, rates });
          const provider = await admin.providers.create({
            name: `Bench provider ${p}`,
            tech: 'SIP',
            tariffId: String(tariff.id),
          });
          await admin.lcrs.addProvider({ id: lcr.id, providerId: provider.id });
          if (p === 0 || (p + 1) % 5 === 0)
            log(`provider ${p + 1}/${PROVIDERS} loaded (${((performance.now() - t) / 1000).toFixed(0)} s)`);
        }
        const user = await admin.users.create({
          username: 'bench_router',
          password: 'bench-password-1',
          lcrId: lcr.id,
        });
        device = await admin.devices.create({ userId: user.id });
        log(
          `loaded ${PROVIDERS} × ${RATES.toLocaleString()} rates through tRPC in ${((performance.now() - t) / 1000).toFixed(1)} s`,
        );
        await handle.db.execute(sql`analyze`);
      }

      // One route checked before anything is timed.
      const number = '1042123456';
      // The longest loaded prefix of the number (prefixes are 1000 … 1000 + RATES - 1).
      const longest = [...Array(number.length).keys()]
        .map((n) => Number(number.slice(0, n + 1)))
        .filter((n) => n >= 1000 && n < 1000 + RATES)
        .at(-1)!;
      // The first route starts loading the provider tariffs into the rate index (in the background; the
      // routes meanwhile are priced by SQL); the timed runs start once it holds them.
      t = performance.now();
      await routeCall(ctx, { deviceId: device.id, dst: number });
      await app.rateIndex.idle();
      const held = app.rateIndex.stats();
      log(
        `rate index: ${held.tariffs} tariffs, ${held.heldRows.toLocaleString()} rows, ${held.heldMb} MB held, loaded in ${((performance.now() - t) / 1000).toFixed(1)} s${held.tooLarge.length ? `; did not fit: ${JSON.stringify(held.tooLarge)}` : ''}`,
      );
      const sample = await routeCall(ctx, { deviceId: device.id, dst: number });
      const rates = sample.route.map((s) => Number(s.systemRate));
      const sorted = rates.every((r, i) => i === 0 || rates[i - 1]! <= r);
      const expected = Array.from({ length: PROVIDERS }, (_, p) => price(p, longest - 1000)).sort((a, b) => a - b);
      const exact = rates.every((r, i) => Math.abs(r - expected[i]!) < 1e-9);
      log(`check: ${sample.route.length} steps, cheapest first: ${sorted}, prices as loaded: ${exact}`);
      if (sample.route.length !== PROVIDERS || !sorted || !exact) throw new Error('route check failed');

      const run = async (seconds: number) => {
        const latencies: number[] = [];
        const until = performance.now() + seconds * 1000;
        const worker = async () => {
          while (performance.now() < until) {
            const started = performance.now();
            await routeCall(ctx, { deviceId: device.id, dst: randomNumber() });
            latencies.push(performance.now() - started);
          }
        };
        t = performance.now();
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - t) / 1000 };
      };
      await run(Math.min(3, SECONDS));
      const { latencies, seconds } = await run(SECONDS);
      const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
      log(
        `routeCall, ${CONCURRENCY} concurrent over ${CONCURRENCY} connections, ${seconds.toFixed(1)} s: ${latencies.length.toLocaleString()} routes = ${Math.round(latencies.length / seconds).toLocaleString()}/s`,
      );
      log(
        `latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, mean ${mean.toFixed(2)} ms (target p50 ≤ 2 ms)`,
      );
      const single = await (async () => {
        const one: number[] = [];
        for (let i = 0; i < 500; i++) {
          const started = performance.now();
          await routeCall(ctx, { deviceId: device.id, dst: randomNumber() });
          one.push(performance.now() - started);
        }
        return one.sort((a, b) => a - b);
      })();
      log(`1 caller: p50 ${percentile(single, 50).toFixed(2)} ms, p99 ${percentile(single, 99).toFixed(2)} ms`);
      log(
        `loadavg ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    if (keep) log(`kept database ${name} (BENCH_DB=${name} reuses it)`);
    else await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
