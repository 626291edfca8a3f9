import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connectPglite } from '../src/db/connectPglite.ts';
import { migrate } from '../src/db/migrate.ts';
import { bootstrap } from '../src/domain/setup/bootstrap.ts';
import { testConfig } from './helpers/db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a migrated, bootstrapped PGlite data-directory image (unset on Postgres runs). */
    pgliteTemplate: string;
  }
}

/**
 * Builds one migrated and bootstrapped PGlite store for the whole run and hands its image to every
 * test file: a file then starts from a copy in a few seconds instead of running initdb and the
 * migrations itself. Postgres runs (TEST_DATABASE_URL) create real databases instead.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgliteTemplate', '');
    return;
  }
  const handle = await connectPglite('memory://');
  await migrate(handle);
  await bootstrap(handle, testConfig);
  const client = (handle.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const image = await client.dumpDataDir('none');
  await handle.close();
  const path = join(tmpdir(), `openmor-pglite-template-${process.pid}.tar`);
  await writeFile(path, new Uint8Array(await image.arrayBuffer()));
  project.provide('pgliteTemplate', path);
  return async () => {
    await rm(path, { force: true });
  };
}
