/**
 * Throwaway database for bench/rating.ts: openmor's migrations and bootstrap, then three wholesale
 * tariffs of 1k, 100k and 1M rates (prefixes 1000…1000+N, so a number "<prefix><6 digits>" always
 * matches 4–7 digits deep), a user on each, and rate_get allowed over HTTP.
 */
import postgres from 'postgres';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';

export const SIZES = [1_000, 100_000, 1_000_000] as const;
export const BENCH_KEY = 'bench-secret-key';
export const benchUser = (size: number) => `bench_${size}`;

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

/** Migrates, bootstraps and seeds; returns seconds spent seeding rates. */
export async function seedRatingBench(url: string): Promise<number> {
  const handle = await connectPostgres(url, { max: 2 });
  await migrate(handle);
  await bootstrap(handle, benchConfig({ DATABASE_URL: url, MOR_API_SECRET_KEY: BENCH_KEY }));
  await handle.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const started = performance.now();
  await sql.unsafe(`
    insert into conflines (name, value, owner_id) values ('allow_rate_over_http', '1', 0)
      on conflict (owner_id, name) do update set value = excluded.value;
    insert into destinations (prefix, name)
      select (1000 + i)::text, 'Bench ' || i from generate_series(0, ${SIZES.at(-1)! - 1}) i;`);
  for (const size of SIZES) {
    const [t] =
      await sql`insert into tariffs (name, purpose) values (${`Bench ${size}`}, 'user_wholesale') returning id`;
    await sql.unsafe(`
      insert into rates (tariff_id, destination_id, prefix)
        select ${t!.id}, d.id, d.prefix from destinations d where d.prefix::bigint < ${1000 + size};
      insert into ratedetails (rate_id, rate, connection_fee, increment_s, min_time)
        select r.id, round((r.id % 997) / 1000.0 + 0.001, 4), 0, 1, 0 from rates r where r.tariff_id = ${t!.id};`);
    await sql`insert into users (username, password, usertype, owner_id, uniquehash, tariff_id)
      values (${benchUser(size)}, 'x', 'user', 0, ${`bench-${size}`}, ${t!.id})`;
  }
  await sql.unsafe('vacuum analyze');
  await sql.end();
  return (performance.now() - started) / 1000;
}
