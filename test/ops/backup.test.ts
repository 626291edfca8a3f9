// Backup and restore keep every balance (docs/operations.md): Postgres with pg_dump/pg_restore (when
// TEST_DATABASE_URL is set and pg_dump exists), PGlite by copying DATA_DIR while the server is stopped.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { connectPglite } from '../../src/db/connectPglite.ts';
import { connectPostgres } from '../../src/db/connectPostgres.ts';
import { migrate } from '../../src/db/migrate.ts';
import { queryRows } from '../../src/db/rows.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { bootstrap } from '../../src/domain/setup/bootstrap.ts';
import { testConfig } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

const BALANCES = ['0.000001', '-12.5', '123456789.123456', '99.99', '0'];

/** Users with awkward balances (six decimals, negative, large). */
async function seed(handle: DbHandle): Promise<void> {
  await migrate(handle);
  await bootstrap(handle, testConfig);
  for (const balance of BALANCES) await createUser(handle, { balance });
}

const balances = (handle: DbHandle) =>
  queryRows<{ id: number; balance: string }>(handle.db, sql`select id, balance::text from users order by id`);

const hasPgDump = (() => {
  try {
    execFileSync('pg_dump', ['--version'], { stdio: 'ignore' });
    execFileSync('pg_restore', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const url = process.env.TEST_DATABASE_URL;

describe('backup and restore', () => {
  it.skipIf(!url || !hasPgDump)(
    'Postgres: pg_dump -Fc then pg_restore into a new database keeps every balance',
    async () => {
      const admin = postgres(url as string, { max: 1, onnotice: () => {} });
      const suffix = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
      const [from, to] = [`openmor_bk_a_${suffix}`, `openmor_bk_b_${suffix}`];
      const at = (name: string) => Object.assign(new URL(url as string), { pathname: `/${name}` }).toString();
      const dir = await mkdtemp(join(tmpdir(), 'openmor-backup-'));
      try {
        await admin.unsafe(`create database ${from}`);
        const source = await connectPostgres(at(from), { max: 2 });
        await seed(source);
        const before = await balances(source);
        await source.close();

        const file = join(dir, 'openmor.dump');
        execFileSync('pg_dump', ['--format=custom', '--no-owner', '--file', file, at(from)]);
        await admin.unsafe(`create database ${to}`);
        execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', at(to), file]);

        const restored = await connectPostgres(at(to), { max: 2 });
        expect(await balances(restored)).toEqual(before);
        expect(await migrate(restored)).toEqual([]); // the restored schema is current: nothing to apply
        await restored.close();
      } finally {
        await admin.unsafe(`drop database if exists ${from} with (force)`);
        await admin.unsafe(`drop database if exists ${to} with (force)`);
        await admin.end();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('PGlite: a copy of DATA_DIR taken while stopped opens with every balance', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openmor-pglite-'));
    try {
      // Started from the suite's migrated template image (initdb is most of PGlite's start-up cost).
      const template = inject('pgliteTemplate');
      const source = await connectPglite(
        join(dir, 'data'),
        template ? { loadDataDir: new Blob([await readFile(template)]) } : {},
      );
      await seed(source);
      const before = await balances(source);
      expect(before.map((r) => r.balance)).toEqual(expect.arrayContaining(['-12.500000', '123456789.123456']));
      await source.close(); // stopped: the folder is consistent

      await cp(join(dir, 'data'), join(dir, 'copy'), { recursive: true });
      const restored = await connectPglite(join(dir, 'copy'));
      expect(await balances(restored)).toEqual(before);
      expect(await migrate(restored)).toEqual([]);
      await restored.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
