import { sql } from 'drizzle-orm';
import { type App, createApp } from './app.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { queryRows } from './db/rows.ts';
import type { DbHandle } from './db/types.ts';
import type { Log } from './domain/ctx.ts';
import type { Ports } from './domain/ports.ts';
import type { ObjectStore } from './domain/recordings/objectStore.ts';
import { bootstrap } from './domain/setup/bootstrap.ts';
import type { ClientIp, RawBody } from './mor/routes.ts';

/**
 * What every entry does after connecting: migrate, bootstrap on first start (printing generated
 * secrets once), build the app.
 */
export async function prepare(
  handle: DbHandle,
  config: Config,
  log: Log,
  options: { clientIp?: ClientIp; rawBody?: RawBody; cacheAuth: boolean; ports?: Ports; objectStore?: ObjectStore },
): Promise<App> {
  await initialise(handle, config, log);
  return createApp({
    handle,
    log,
    clientIp: options.clientIp,
    rawBody: options.rawBody,
    cacheAuth: options.cacheAuth,
    rateIndexMaxMb: options.cacheAuth ? config.rateIndexMaxMb : 0,
    runJobs: true,
    ports: options.ports,
    objectStore: options.objectStore,
  });
}

/** The secrets a first start generates (and prints once) when they are not set. */
export const BOOTSTRAP_SECRETS = ['MOR_ADMIN_PASSWORD', 'MOR_API_SECRET_KEY', 'MOR_ADMIN_TOKEN'] as const;

/**
 * A first start where generated secrets could not be shown safely (Workers: the log goes to the
 * platform). Its message names the missing variables and what to do.
 */
export class SecretsRequired extends Error {
  override name = 'SecretsRequired';
  constructor(readonly missing: readonly string[]) {
    super(
      `openmor: first start refused: set ${missing.join(', ')} as secrets (wrangler secret put <NAME>) before ` +
        'the first request; generated values would be printed to the platform log.',
    );
  }
}

const missingSecrets = (config: Config) =>
  BOOTSTRAP_SECRETS.filter(
    (name) =>
      !{
        MOR_ADMIN_PASSWORD: config.adminPassword,
        MOR_API_SECRET_KEY: config.apiSecretKey,
        MOR_ADMIN_TOKEN: config.adminToken,
      }[name],
  );

/**
 * Migrate, then bootstrap on first start, printing generated secrets once. With `printSecrets: false`
 * (Workers) a first start with any of BOOTSTRAP_SECRETS unset is refused with SecretsRequired, before
 * anything is generated; an already bootstrapped database needs none of them. Workers run it once per isolate.
 */
export async function initialise(
  handle: DbHandle,
  config: Config,
  log: Log,
  options: { printSecrets?: boolean } = {},
): Promise<void> {
  const applied = await migrate(handle);
  if (applied.length > 0) log.info('migrations applied', { applied });
  if (options.printSecrets === false) {
    const missing = missingSecrets(config);
    if (missing.length > 0) {
      const admin = await queryRows(handle.db, sql`select 1 from users where id = 0`);
      if (admin.length === 0) throw new SecretsRequired(missing);
    }
  }
  const generated = await bootstrap(handle, config);
  if (generated && options.printSecrets === false) {
    // Only when another start bootstrapped between the check above and here: nothing was generated.
    if (Object.keys(generated).length > 0) log.warn('bootstrapped without showing the generated secrets');
    return;
  }
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
