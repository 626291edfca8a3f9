import * as v from 'valibot';

/** Raw environment as handed over by an entry file (the Node, Deno or Worker environment). */
export type RawEnv = Record<string, string | undefined>;

const flag = v.pipe(
  v.optional(v.string(), '0'),
  v.trim(),
  v.picklist(['0', '1', 'true', 'false', 'yes', 'no'], 'must be 0 or 1'),
  v.transform((s) => s === '1' || s === 'true' || s === 'yes'),
);

const EnvSchema = v.object({
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
  ),
  DATA_DIR: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1)), './data'),
  PORT: v.pipe(
    v.optional(v.string(), '8080'),
    v.regex(/^\d{1,5}$/, 'must be a port number'),
    v.transform(Number),
    v.minValue(0, 'must be a port number'),
    v.maxValue(65535, 'must be a port number'),
  ),
  HOST: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1)), '127.0.0.1'),
  MOR_ADMIN_USERNAME: v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be 1-64 letters, digits or _.@-')),
    'admin',
  ),
  MOR_ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(6, 'must be at least 6 characters'))),
  MOR_API_SECRET_KEY: v.optional(v.pipe(v.string(), v.minLength(6, 'must be longer than 5 characters'))),
  MOR_ALLOW_GET: flag,
  MOR_ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  LOG_LEVEL: v.optional(v.picklist(['debug', 'info', 'warn', 'error', 'silent']), 'info'),
  MOR_TRUST_PROXY: v.pipe(
    v.optional(v.string(), '0'),
    v.trim(),
    v.regex(/^(\d{1,2}|true|false|yes|no)$/, 'must be 0 (off) or the number of trusted proxy hops (1-99)'),
    v.transform((s) => (s === 'true' || s === 'yes' ? 1 : s === 'false' || s === 'no' ? 0 : Number(s))),
  ),
  DB_POOL_MAX: v.pipe(v.optional(v.string(), '10'), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number)),
  DB_CONNECT_ATTEMPTS: v.pipe(
    v.optional(v.string(), '10'),
    v.regex(/^\d{1,4}$/, 'must be a whole number (0 = retry forever)'),
    v.transform(Number),
  ),
  RECORDINGS_DIR: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  RATE_INDEX_MAX_ROWS: v.pipe(
    v.optional(v.string(), '2000000'),
    v.regex(/^\d{1,9}$/, 'must be a whole number'),
    v.transform(Number),
  ),
});

/** Parsed, validated configuration. Parsed once at the entry and passed down (docs/architecture.md, "The house", rule 5). */
export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  adminUsername: string;
  adminPassword: string | undefined;
  apiSecretKey: string | undefined;
  allowGet: boolean;
  adminToken: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Trusted proxy hops in front of the server (0 = none: the socket address is the client). With N, the
   * client address is the N-th `X-Forwarded-For` entry from the right, the one the outermost trusted
   * proxy appended; entries further left are written by the client and ignored.
   */
  trustProxy: number;
  /** postgres.js pool size. */
  poolMax: number;
  /** Attempts to reach an unreachable database at start, with backoff (0 = forever). */
  connectAttempts: number;
  /** Rates + destinations the in-process rate index may hold (0 = off; the SQL lookup always answers). */
  rateIndexMaxRows: number;
  /**
   * Directory of recording audio on Node and Deno; default `<DATA_DIR>/recordings` (none with
   * `DATA_DIR=memory://`). Workers use the R2 bucket bound as `RECORDINGS` instead.
   */
  recordingsDir?: string;
}

/** Error thrown for a bad environment; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables whose value is never echoed in an error (a secret, or a URL that may carry a password). */
const SECRET_KEYS = new Set(['MOR_ADMIN_PASSWORD', 'MOR_API_SECRET_KEY', 'MOR_ADMIN_TOKEN', 'DATABASE_URL']);

/** How a bad value is shown: secrets by their length only. */
const shown = (key: string, value: string) =>
  SECRET_KEYS.has(key) ? `value hidden, ${value.length} characters` : `got ${JSON.stringify(value)}`;

/** Validates the environment and fails fast with one clear line per bad variable. */
export function parseConfig(raw: RawEnv): Config {
  const present: RawEnv = {};
  for (const key of Object.keys(EnvSchema.entries)) {
    const value = raw[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const result = v.safeParse(EnvSchema, present);
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const key = issue.path?.map((p) => String(p.key)).join('.') ?? '?';
      return `  ${key}: ${issue.message} (${shown(key, present[key] ?? '')})`;
    });
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = result.output;
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.PORT,
    host: env.HOST,
    adminUsername: env.MOR_ADMIN_USERNAME,
    adminPassword: env.MOR_ADMIN_PASSWORD,
    apiSecretKey: env.MOR_API_SECRET_KEY,
    allowGet: env.MOR_ALLOW_GET,
    adminToken: env.MOR_ADMIN_TOKEN,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.MOR_TRUST_PROXY,
    poolMax: env.DB_POOL_MAX,
    connectAttempts: env.DB_CONNECT_ATTEMPTS,
    rateIndexMaxRows: env.RATE_INDEX_MAX_ROWS,
    recordingsDir:
      env.RECORDINGS_DIR ??
      (env.DATA_DIR === 'memory://' ? undefined : `${env.DATA_DIR.replace(/\/+$/, '')}/recordings`),
  };
}
