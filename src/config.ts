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
  DB_POOL_MAX: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number))),
  DB_CONNECT_ATTEMPTS: v.pipe(
    v.optional(v.string(), '10'),
    v.regex(/^\d{1,4}$/, 'must be a whole number (0 = retry forever)'),
    v.transform(Number),
  ),
  SMTP_URL: v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')),
  ),
  MAIL_FROM: v.optional(v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(320))),
  MAIL_API_URL: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^https?:\/\/[^\s]+$/, 'must be an http(s):// URL'))),
  MAIL_API_TOKEN: v.optional(v.string()),
  AMI_URL: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^ami:\/\/[^\s]+$/, 'must be ami://user:secret@host:port'))),
  RECORDINGS_DIR: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  RATE_INDEX_MAX_MB: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,7}$/, 'must be a whole number of MB (0 = off)'), v.transform(Number)),
  ),
  /** Deprecated: read as RATE_INDEX_MAX_MB = ceil(rows × ROW_BYTES / 1 MB) when that one is not set. */
  RATE_INDEX_MAX_ROWS: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'must be a whole number'), v.transform(Number)),
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
  /**
   * Megabytes the in-process rate index may retain (0 = off; the SQL lookup always answers). Default
   * 512: 5M wholesale rates with their destinations even at ~100 B each (unique names), ~9M at the
   * usual ~55 B (names repeat), and room under 2 GB for the load peak.
   */
  rateIndexMaxMb: number;
  /** E-mail over SMTP (Node, Deno): `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`. */
  smtpUrl?: string;
  /** From address of the e-mail openmor sends. */
  mailFrom?: string;
  /** E-mail through an HTTP mail API (Workers; also elsewhere when SMTP_URL is unset), with its bearer token. */
  mailApiUrl?: string;
  mailApiToken?: string;
  /** Asterisk Manager Interface for callback and spy calls: `ami://user:secret@host:5038` (Node, Deno). */
  amiUrl?: string;
  /**
   * Directory of recording audio on Node and Deno; default `<DATA_DIR>/recordings` (none with
   * `DATA_DIR=memory://`). Workers use the R2 bucket bound as `RECORDINGS` instead.
   */
  recordingsDir?: string;
}

export const DEFAULT_RATE_INDEX_MB = 512;
/** Bytes one row of the deprecated RATE_INDEX_MAX_ROWS stands for (a rate with its destination, rounded up). */
export const RATE_INDEX_ROW_BYTES = 64;
const rowsToMb = (rows: number | undefined) =>
  rows === undefined ? undefined : Math.ceil((rows * RATE_INDEX_ROW_BYTES) / 1e6);

/** Error thrown for a bad environment; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Variables whose value is never echoed in an error (a secret, or a URL that may carry a password). */
const SECRET_KEYS = new Set([
  'MOR_ADMIN_PASSWORD',
  'MOR_API_SECRET_KEY',
  'MOR_ADMIN_TOKEN',
  'DATABASE_URL',
  'SMTP_URL',
  'MAIL_API_TOKEN',
  'AMI_URL',
]);

/** How a bad value is shown: secrets by their length only. */
const shown = (key: string, value: string) =>
  SECRET_KEYS.has(key) ? `value hidden, ${value.length} characters` : `got ${JSON.stringify(value)}`;

/**
 * Default pool: 2 connections per CPU of this host, at least 4, at most 10 (the old fixed default).
 * Few busy connections beat many when Postgres shares the CPUs: on 2 cores rate_get's SQL path served
 * 3,830 req/s with 4 connections and 2,750 with 32 (docs/decisions.md, "DB_POOL_MAX").
 */
export const defaultPoolMax = (cpus: number) => Math.min(10, Math.max(4, 2 * cpus));

/**
 * Validates the environment and fails fast with one clear line per bad variable. `cpus`: this host's
 * CPU count (the entry passes it; runtimes with `navigator.hardwareConcurrency` have it by default).
 */
export function parseConfig(
  raw: RawEnv,
  cpus: number = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2,
): Config {
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
    poolMax: env.DB_POOL_MAX ?? defaultPoolMax(cpus),
    connectAttempts: env.DB_CONNECT_ATTEMPTS,
    rateIndexMaxMb: env.RATE_INDEX_MAX_MB ?? rowsToMb(env.RATE_INDEX_MAX_ROWS) ?? DEFAULT_RATE_INDEX_MB,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    mailApiUrl: env.MAIL_API_URL,
    mailApiToken: env.MAIL_API_TOKEN,
    amiUrl: env.AMI_URL,
    recordingsDir:
      env.RECORDINGS_DIR ??
      (env.DATA_DIR === 'memory://' ? undefined : `${env.DATA_DIR.replace(/\/+$/, '')}/recordings`),
  };
}
