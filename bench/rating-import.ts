/** Times a 100,000-rate import through tariff_wholesale_update (in-process app, real database). */
import { createHash } from 'node:crypto';
import { createApp } from '../src/app.ts';
import { connectPglite } from '../src/db/connectPglite.ts';
import { connectPostgres } from '../src/db/connectPostgres.ts';
import { migrate } from '../src/db/migrate.ts';
import type { DbHandle } from '../src/db/types.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { benchConfig } from './config.ts';
import { BENCH_KEY } from './rating-seed.ts';

export const IMPORT_ROWS = 100_000;

/** CSV of `rows` new prefixes (destinations are created too: the costliest import). */
function csv(rows: number, first: number): string {
  const lines = ['prefix,price,connection_fee,increment,min_time'];
  for (let i = 0; i < rows; i++) lines.push(`${first + i},0.${String(1 + (i % 9999)).padStart(4, '0')},0,1,0`);
  return lines.join('\n');
}

/** Seconds for one create-with-rates call and one update (upsert of the same rows); checks the answers. */
export async function timeImport(handle: DbHandle, label: string): Promise<{ create: number; update: number }> {
  const { app, close } = await createApp({ handle, log: silentLog, cacheAuth: false });
  const rates = csv(IMPORT_ROWS, 7_000_000);
  const post = async (params: Record<string, string>, hashOf: string[]) => {
    const hash = createHash('sha1')
      .update(hashOf.map((k) => params[k] ?? '').join('') + BENCH_KEY)
      .digest('hex');
    const started = performance.now();
    const response = await app.request('http://bench/billing/api/tariff_wholesale_update', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, rates, hash }).toString(),
    });
    const body = await response.text();
    const seconds = (performance.now() - started) / 1000;
    if (!body.includes('<status>ok</status>')) throw new Error(`${label} import failed: ${body.slice(0, 500)}`);
    return { seconds, body };
  };
  const name = `Import ${label} ${Date.now()}`; // unique: a reused database (BENCH_RATING_DB) has earlier ones
  const created = await post({ u: 'admin', name }, ['name']);
  const id = /<tariff_id>(\d+)</.exec(created.body)?.[1] ?? '';
  const updated = await post({ u: 'admin', id }, ['id']);
  await close();
  return { create: created.seconds, update: updated.seconds };
}

/** The same on an in-memory PGlite. */
export async function timePgliteImport() {
  const handle = await connectPglite('memory://');
  await migrate(handle);
  await bootstrap(handle, benchConfig({ MOR_API_SECRET_KEY: BENCH_KEY }));
  try {
    return await timeImport(handle, 'PGlite');
  } finally {
    await handle.close();
  }
}

export async function timePostgresImport(url: string) {
  const handle = await connectPostgres(url, { max: 2 });
  try {
    return await timeImport(handle, 'Postgres');
  } finally {
    await handle.close();
  }
}
