import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { Config } from '../../src/config.ts';
import { connectPglite } from '../../src/db/connectPglite.ts';
import { connectPostgres } from '../../src/db/connectPostgres.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { bootstrap } from '../../src/domain/setup/bootstrap.ts';

/** Known secrets of every test database. */
export const TEST = {
  adminUsername: 'admin',
  adminPassword: 'admin-password',
  apiSecretKey: 'secret',
  adminToken: 'test-admin-token-0123456789',
} as const;

export const testConfig: Config = {
  databaseUrl: undefined,
  dataDir: 'memory://',
  port: 0,
  host: '127.0.0.1',
  adminUsername: TEST.adminUsername,
  adminPassword: TEST.adminPassword,
  apiSecretKey: TEST.apiSecretKey,
  allowGet: false,
  adminToken: TEST.adminToken,
  logLevel: 'silent',
  trustProxy: 0,
  poolMax: 4,
  connectAttempts: 1,
  rateIndexMaxMb: 0,
};

/**
 * A fresh, migrated, bootstrapped database for one test file: PGlite in memory, or — when
 * TEST_DATABASE_URL is set — a new database on that server, dropped by `close()`.
 */
export async function freshDatabase(): Promise<DbHandle> {
  const url = process.env.TEST_DATABASE_URL;
  let handle: DbHandle;
  let drop = async () => {};
  if (url) {
    const name = `openmor_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    // A copy of the migrated, bootstrapped template database built once by test/globalSetup.ts.
    const template = inject('postgresTemplate');
    await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    handle = await connectPostgres(target.toString(), { max: 4 });
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const template = inject('pgliteTemplate');
    if (template) {
      // A copy of the migrated, bootstrapped store built once by test/globalSetup.ts.
      const image = new Blob([await readFile(template)]);
      handle = await connectPglite('memory://', { loadDataDir: image });
    } else {
      handle = await connectPglite('memory://');
    }
  }
  await migrate(handle);
  await bootstrap(handle, testConfig);
  const close = handle.close;
  return {
    ...handle,
    close: async () => {
      await close();
      await drop();
    },
  };
}
