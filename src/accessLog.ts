import type { Context, MiddlewareHandler } from 'hono';
import type { Log } from './domain/ctx.ts';
import type { ClientIp } from './mor/routes.ts';

/** An incoming `X-Request-Id` is kept when it is this sane; otherwise a new one is generated. */
const SANE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Longest request path an access-log line carries (a path is written by the client). */
const MAX_PATH = 200;

/**
 * One structured line per request (`msg: "request"`): request id, HTTP method, path (XML API:
 * `<prefix>/<MOR method>`, never the query string or a path parameter), MOR method, caller username
 * when known, HTTP status, MOR error string of a refusal, duration in ms (until the answer's headers),
 * client IP. The request id (incoming `X-Request-Id` when sane, else a random UUID) is echoed as
 * `X-Request-Id`. No parameter value is ever logged: hashes, passwords, tokens and keys stay out.
 * `finished` runs once the answer is ready, with the request's duration (the metrics use it): one
 * middleware for both keeps a request to one more step through Hono's chain.
 */
export function accessLog(
  log: Log,
  clientIp: ClientIp,
  finished?: (c: Context, seconds: number) => void,
): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    await next();
    const note = c.get('access');
    const elapsed = performance.now() - started;
    const ms = Math.round(elapsed * 10) / 10;
    // The XML API puts the header in the answer it builds (headers as a plain object, which the Node
    // server writes without building a Headers object); everything else gets it here.
    if (!note?.requestIdSent) {
      try {
        c.res.headers.set('x-request-id', requestId);
      } catch {
        // Immutable headers (a fetched Response passed through): copy it.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set('x-request-id', requestId);
      }
    }
    finished?.(c, elapsed / 1000);
    const path = note?.path ?? c.req.path;
    log.info('request', {
      requestId,
      method: c.req.method,
      path: path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path,
      ...(note?.method ? { morMethod: note.method } : {}),
      ...(note?.caller ? { caller: note.caller } : {}),
      status: c.res.status,
      ...(note?.error ? { morError: note.error } : {}),
      ms,
      ip: clientIp(c.req.raw, c.env),
    });
  };
}
