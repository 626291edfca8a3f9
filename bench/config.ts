import { type Config, parseConfig, type RawEnv } from '../src/config.ts';

/**
 * The configuration benchmarks bootstrap with: the real parser's defaults plus fixed bench credentials
 * (so a field added to Config needs no edit here). `env` overrides, e.g. DATABASE_URL or the key.
 */
export const benchConfig = (env: RawEnv = {}): Config =>
  parseConfig({
    DATA_DIR: 'memory://',
    MOR_ADMIN_PASSWORD: 'bench-admin-password',
    MOR_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    LOG_LEVEL: 'silent',
    RATE_INDEX_MAX_ROWS: '0',
    ...env,
  });
