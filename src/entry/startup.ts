import { ConfigError } from '../config.ts';
import type { Log } from '../domain/ctx.ts';
import { errorText } from '../log.ts';

/** Error codes (socket or Postgres) that mean "the database cannot be reached yet": retried at start. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  '57P03', // cannot_connect_now: the server is starting up or shutting down
]);

/** The `code` of an error or of one of its causes (drizzle wraps the driver's error). */
function codeOf(error: unknown): string | undefined {
  let at: unknown = error;
  for (let depth = 0; at && typeof at === 'object' && depth < 5; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The driver's own message of an error the database server sent (a 5-character SQLSTATE), if any. */
function serverMessage(error: unknown): { code: string; message: string } | undefined {
  let at: unknown = error;
  for (let depth = 0; at && typeof at === 'object' && depth < 5; depth++) {
    const { code, message } = at as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof message === 'string') return { code, message };
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Delay before attempt `attempt + 1`: 0.5 s, 1 s, 2 s … at most 15 s. */
export const backoffMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 15_000);

/** A start that cannot go on; its message is the one line shown (no stack). */
export class StartFailed extends Error {
  override name = 'StartFailed';
}

/**
 * Runs `open` (connect, migrate, bootstrap, build the app) until it succeeds. When it fails because the
 * database cannot be reached, logs one line per attempt (reason code and the host, never the URL) and
 * tries again after `backoffMs`; after `attempts` attempts (0 = never give up) it throws StartFailed.
 * Any other failure is thrown at once.
 */
export async function withDatabaseRetry<T>(
  open: () => Promise<T>,
  options: { attempts: number; log: Log; target: string; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      const code = codeOf(error);
      if (!code || !UNREACHABLE.has(code)) throw error;
      const last = options.attempts > 0 && attempt >= options.attempts;
      options.log.error('database unreachable', {
        target: options.target,
        reason: code,
        attempt,
        ...(options.attempts > 0 ? { of: options.attempts } : {}),
        ...(last ? {} : { retryInMs: backoffMs(attempt) }),
      });
      if (last) throw new StartFailed(`database unreachable (${code} at ${options.target}) after ${attempt} attempts`);
      await sleep(backoffMs(attempt));
    }
  }
}

/** host:port/database of a Postgres URL, without user or password (for logs). */
export function databaseTarget(url: string | undefined): string {
  if (!url) return 'embedded PGlite';
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/**
 * What a failed start prints: a bad configuration or an unreachable/refusing database as one or a
 * few plain lines on stderr (no stack trace, no secret); anything else (a bug) with its stack.
 * Returns the exit code (2: configuration, 1: otherwise).
 */
export function explainStartFailure(error: unknown): number {
  if (error instanceof ConfigError) {
    console.error(`openmor: cannot start. ${error.message}`);
    return 2;
  }
  if (error instanceof StartFailed) {
    console.error(`openmor: cannot start: ${error.message}`);
    return 1;
  }
  const server = serverMessage(error);
  if (server) {
    console.error(`openmor: cannot start: the database refused: ${server.message} (${server.code})`);
    return 1;
  }
  console.error(`openmor: cannot start:\n${errorText(error)}`);
  return 1;
}
