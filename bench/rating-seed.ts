/**
 * Throwaway database for bench/rating.ts, loaded as an operator loads tariffs: openmor's migrations and
 * bootstrap, then through the real app's tRPC API (createApp + app.request, admin bearer token)
 * `settings.update` (rate_get over HTTP), `tariffs.create`, `rates.upsertMany` in chunks of CHUNK rows
 * and `users.create`. Three wholesale tariffs of 1k, 100k and 1M rates, each over its own prefix range
 * (`SHAPES[size].base + i`), so every prefix gets its own destination, named like real ones (a few
 * hundred distinct names, repeated). No VACUUM / ANALYZE afterwards: the server must cope with the
 * statistics an operator's fresh load leaves (autovacuum may or may not have run).
 */
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import postgres from 'postgres';
import type { AppRouter } from '../src/admin/router.ts';
import { createApp } from '../src/app.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';

export const SIZES = [1_000, 100_000, 1_000_000] as const;
/** First prefix of each tariff: ranges never overlap, so no two tariffs share a destination. */
export const PREFIX_BASE: Record<number, number> = { 1000: 20_000, 100000: 300_000, 1000000: 4_000_000 };
export const BENCH_KEY = 'bench-secret-key';
export const benchUser = (size: number) => `bench_${size}`;
const TOKEN = 'bench-admin-token-0123456789';
const CHUNK = 50_000;

const COUNTRIES = [
  'Germany',
  'France',
  'United Kingdom',
  'Spain',
  'Italy',
  'Poland',
  'Lithuania',
  'Latvia',
  'Estonia',
  'Netherlands',
  'Belgium',
  'Sweden',
  'Norway',
  'Finland',
  'Denmark',
  'Austria',
  'Switzerland',
  'Portugal',
  'Greece',
  'Turkey',
  'Ukraine',
  'Romania',
  'Bulgaria',
  'Hungary',
  'Czech Republic',
  'Slovakia',
  'Ireland',
  'United States',
  'Canada',
  'Mexico',
  'Brazil',
  'Argentina',
  'India',
  'Pakistan',
  'China',
  'Japan',
  'Nigeria',
];
const KINDS = [' Fixed', ' Mobile', ' Mobile Vodafone', ' Mobile Orange', ' Premium', ' Special Services'];
/** A realistic destination name: a few hundred distinct ones, each repeated over many prefixes. */
export const destinationName = (i: number) =>
  `${COUNTRIES[i % COUNTRIES.length]}${KINDS[Math.floor(i / 7) % KINDS.length]}`;

export async function createBenchDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropBenchDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/** Migrates, bootstraps and loads the tariffs through tRPC; returns seconds spent in rates.upsertMany. */
export async function seedRatingBench(url: string, log: (...a: unknown[]) => void = () => {}): Promise<number> {
  const handle = await connectPostgres(url, { max: 4 });
  let seconds = 0;
  try {
    await migrate(handle);
    const config = benchConfig({ DATABASE_URL: url, MOR_API_SECRET_KEY: BENCH_KEY, MOR_ADMIN_TOKEN: TOKEN });
    await bootstrap(handle, config);
    const { app, close } = await createApp({ handle, log: silentLog });
    try {
      const admin = createTRPCClient<AppRouter>({
        links: [
          httpBatchLink({
            url: 'http://bench/trpc',
            maxItems: 1,
            headers: { authorization: `Bearer ${TOKEN}` },
            fetch: async (u, init) => app.request(String(u), init as RequestInit),
          }),
        ],
      });
      await admin.settings.update.mutate({ allowRateOverHttp: true, allowGetApi: true });
      for (const size of SIZES) {
        const tariff = await admin.tariffs.create.mutate({ name: `Bench ${size}`, purpose: 'user_wholesale' });
        const base = PREFIX_BASE[size]!;
        const started = performance.now();
        for (let from = 0; from < size; from += CHUNK) {
          const rates = Array.from({ length: Math.min(CHUNK, size - from) }, (_, k) => {
            const i = from + k;
            return {
              prefix: String(base + i),
              price: ((i % 997) / 1000 + 0.001).toFixed(4),
              destination: destinationName(i),
            };
          });
          await admin.rates.upsertMany.mutate({ tariffId: tariff.id, rates });
        }
        const took = (performance.now() - started) / 1000;
        seconds += took;
        log(`  tariff of ${size.toLocaleString()} rates through rates.upsertMany in ${took.toFixed(1)} s`);
        await admin.users.create.mutate({
          username: benchUser(size),
          password: `Bench-password-${size}`,
          tariffId: tariff.id,
        });
      }
    } finally {
      await close();
    }
  } finally {
    await handle.close();
  }
  return seconds;
}
