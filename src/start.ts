import { type App, createApp } from './app.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import type { DbHandle } from './db/types.ts';
import type { Log } from './domain/ctx.ts';
import { bootstrap } from './domain/setup/bootstrap.ts';
import type { ClientIp } from './mor/routes.ts';

/**
 * What every entry does after connecting: migrate, bootstrap on first start (printing generated
 * secrets once), build the app.
 */
export async function prepare(
  handle: DbHandle,
  config: Config,
  log: Log,
  options: { clientIp?: ClientIp; cacheAuth: boolean },
): Promise<App> {
  await initialise(handle, config, log);
  return createApp({
    handle,
    log,
    clientIp: options.clientIp,
    cacheAuth: options.cacheAuth,
    rateIndexMaxRows: options.cacheAuth ? config.rateIndexMaxRows : 0,
    runJobs: true,
  });
}

/** Migrate, then bootstrap on first start (printing generated secrets once). Workers run it once per isolate. */
export async function initialise(handle: DbHandle, config: Config, log: Log): Promise<void> {
  const applied = await migrate(handle);
  if (applied.length > 0) log.info('migrations applied', { applied });
  const generated = await bootstrap(handle, config);
  if (generated) {
    const lines = [
      'openmor: first start, the system was bootstrapped.',
      `  admin username:        ${config.adminUsername}`,
      generated.adminPassword && `  admin password:        ${generated.adminPassword}`,
      generated.apiSecretKey && `  API secret key:        ${generated.apiSecretKey}`,
      generated.adminToken && `  admin token (tRPC):    ${generated.adminToken}`,
      Object.keys(generated).length > 0 && '  These generated values are shown only this once: keep them.',
    ].filter(Boolean);
    console.log(lines.join('\n'));
  }
}
