import type { Log } from './domain/ctx.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * The parameters of a failed query (drizzle writes `Failed query: <sql>\nparams: <values>` into the
 * error's message and stack): they carry password hashes, uniquehashes, keys and tokens, so they never
 * reach a log. The SQL text (with $n placeholders) stays.
 */
const PARAMS = /(\nparams: )[\s\S]*?(?=\n {4}at |$)/g;
export const redactParams = (text: string) => text.replace(PARAMS, '$1[redacted]');

export function redact(value: unknown, depth = 0): unknown {
  // Most values carry no failed query: test before running the pattern (the access log writes a line
  // per request).
  if (typeof value === 'string') return value.includes('\nparams: ') ? redactParams(value) : value;
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, depth + 1)]));
}

/** Keys the head of a line holds (a data key of the same name replaces it in place: the general path). */
const HEAD_KEYS = new Set(['time', 'level', 'msg', '__proto__']);

/**
 * Data that serialises as it is, the same as copied into the line's object: a plain object whose values
 * are not objects and carry no failed query to redact, and whose keys are neither the head's nor
 * numbers (an object lists integer keys first, so in the line's object they would precede the head).
 */
function isFlat(data: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(data) !== Object.prototype) return false;
  for (const key in data) {
    const value = data[key];
    const first = key.charCodeAt(0);
    if (HEAD_KEYS.has(key) || (first >= 48 && first <= 57)) return false;
    if (typeof value === 'object' && value !== null) return false;
    if (typeof value === 'string' && value.includes('\nparams: ')) return false;
  }
  return true;
}

/**
 * An error as a log shows it: its stack, then the message of each cause (a failed query's cause is
 * the database's own error, e.g. the constraint it broke). Parameters are redacted when logged.
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let at: unknown = error;
  for (let depth = 0; at !== undefined && at !== null && depth < 5; depth++) {
    const e = at as { stack?: unknown; message?: unknown; cause?: unknown };
    parts.push(depth === 0 ? String(e.stack ?? at) : `caused by: ${String(e.message ?? at)}`);
    at = typeof at === 'object' ? e.cause : undefined;
  }
  return parts.join('\n');
}

/** Where log lines go: `out` for debug and info, `err` for warn and error. */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

/** stdout/stderr through the console: what every runtime has. */
export const consoleSink: LogSink = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/**
 * One JSON line per entry (stdout for debug/info, stderr for warn/error by default); query parameters
 * redacted.
 */
export function createLog(level: LogLevel = 'info', sink: LogSink = consoleSink): Log {
  const min = LEVELS[level];
  // The access log writes a line per request: its time text is made once per millisecond, and flat
  // data (strings, numbers, booleans: the access log's, nothing to redact) is serialised as it is
  // and joined to the head instead of being copied into a new object first. The same line either
  // way; in a live server this took ~5 µs off the ~12 µs a request's line cost (bench/README.md).
  let lastMs = Number.NaN;
  let lastTime = '';
  const time = () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastTime = new Date(now).toISOString();
    }
    return lastTime;
  };
  const write = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, data?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    let line: string;
    if (data && isFlat(data)) {
      const rest = JSON.stringify(data);
      line = `{"time":"${time()}","level":"${lvl}","msg":${JSON.stringify(msg)}${rest.length > 2 ? `,${rest.slice(1)}` : '}'}`;
    } else {
      const entry: Record<string, unknown> = { time: time(), level: lvl, msg };
      if (data) for (const key in data) entry[key] = redact(data[key], 1);
      line = JSON.stringify(entry);
    }
    if (lvl === 'error' || lvl === 'warn') sink.err(line);
    else sink.out(line);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
