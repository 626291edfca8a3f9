import type { Config } from '../config.ts';
import type { DbHandle } from './types.ts';

/**
 * Opens the database the configuration names: Postgres when DATABASE_URL is set, else embedded PGlite
 * in DATA_DIR. Drivers are imported lazily so a Postgres deployment never loads the WASM build.
 */
export async function connect(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'poolMax'>): Promise<DbHandle> {
  if (config.databaseUrl) {
    const { connectPostgres } = await import('./connectPostgres.ts');
    return connectPostgres(config.databaseUrl, { max: config.poolMax });
  }
  const { connectPglite } = await import('./connectPglite.ts');
  return connectPglite(config.dataDir);
}
