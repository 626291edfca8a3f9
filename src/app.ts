import { trpcServer } from '@hono/trpc-server';
import { type Context, Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { accessLog } from './accessLog.ts';
import { mountCallsCsv } from './admin/callsCsv.ts';
import { openApiDocument, trpcCatalogue } from './admin/catalogue.ts';
import { mountRecordings } from './admin/recordingsHttp.ts';
import { appRouter } from './admin/router.ts';
import { createContextFactory, type XmlApiTools } from './admin/trpc.ts';
import { probeDatabase } from './db/ready.ts';
import type { DbHandle } from './db/types.ts';
import { AUTH_CHANNEL, AuthCache } from './domain/auth/cache.ts';
import type { Log } from './domain/ctx.ts';
import { DELIVERY_CHANNEL, deliveryKicker } from './domain/jobs/deliveryKick.ts';
import { startScheduler } from './domain/jobs/jobs.ts';
import type { Ports } from './domain/ports.ts';
import { RATING_CHANNEL, RateIndex } from './domain/rating/cache/rateIndex.ts';
import type { ObjectStore } from './domain/recordings/objectStore.ts';
import { errorText } from './log.ts';
import { Metrics, type RequestLabel } from './metrics.ts';
import { generateHash } from './mor/generateHash.ts';
import { BodyTooLarge, limitBody, MAX_BODY_BYTES } from './mor/params.ts';
import { METHODS } from './mor/registry.ts';
import { type ClientIp, mountMor, type RawBody } from './mor/routes.ts';
import { OPENMOR_VERSION } from './version.ts';

export interface AppDeps {
  handle: DbHandle;
  log: Log;
  clock?: () => Date;
  /** How this runtime tells the client address; defaults to "unknown" (never whitelisted). */
  clientIp?: ClientIp;
  /** How this runtime reads a request body faster than the web Request (Node); absent: the web Request. */
  rawBody?: RawBody;
  /**
   * Cache auth data between requests (needs a LISTEN connection for cross-instance invalidation).
   * Node and Deno: on. Workers: off (no connection outlives a request).
   */
  cacheAuth?: boolean;
  /**
   * Megabytes the in-process rate index may retain (needs the same LISTEN connection as the auth
   * cache); 0 or absent: off, rate_get always runs its SQL lookup.
   */
  rateIndexMaxMb?: number;
  /** Run the scheduled jobs in this process (Node and Deno; Workers use a Cron Trigger). */
  runJobs?: boolean;
  /**
   * Send queued messages and webhook deliveries as soon as a commit queues them (LISTEN on
   * `openmor_delivery`), not at the next tick. Default: as runJobs.
   */
  kickDelivery?: boolean;
  /** Deadline of the database probe behind `GET /ready` (default 2000 ms). */
  readyTimeoutMs?: number;
  /** The outside world as this runtime reaches it (mail, SMS, call control; see domain/ports.ts). */
  ports?: Ports;
  /** Where recording audio lives (a directory on Node/Deno, an R2 bucket on Workers); none = recordings off. */
  objectStore?: ObjectStore;
}

export interface App {
  app: Hono;
  /** Drops cached auth data now (what a write through the domain does; tests use it after raw writes). */
  invalidateAuth(): void;
  /** The in-process rate index (disabled when the runtime cannot keep one). */
  rateIndex: RateIndex;
  /** What the admin API takes from the XML API (tests build server-side callers with it). */
  xmlApi: XmlApiTools;
  /** Stops listening for invalidations. */
  close(): Promise<void>;
}

/**
 * The request path with repeated slashes collapsed: MOR serves `/billing//api/<method>` (the
 * did_details_update page's own example) like `/billing/api/<method>`. Costs one scan when there are none.
 */
const singleSlashPath = (request: Request): string => {
  const path = getPath(request);
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
};

/** tRPC's answer to a body over the limit: its error shape, code PAYLOAD_TOO_LARGE, HTTP 413. */
const trpcTooLarge = () =>
  Response.json(
    {
      error: {
        message: `Request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`,
        code: -32013,
        data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
      },
    },
    { status: 413 },
  );

/** Builds the whole HTTP surface: the XML API at /billing/api and /api, tRPC at /trpc, /health, /ready. */
export async function createApp(deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? (() => new Date());
  const clientIp = deps.clientIp ?? (() => 'unknown');
  const authCache = new AuthCache(deps.handle.db, deps.cacheAuth ?? false);
  const unlisten = authCache.enabled
    ? await deps.handle.listen(
        AUTH_CHANNEL,
        () => authCache.invalidate(),
        () => authCache.invalidate(),
      )
    : async () => {};
  const rateIndex = new RateIndex(deps.handle.db, authCache.enabled && (deps.rateIndexMaxMb ?? 0) > 0, {
    maxBytes: (deps.rateIndexMaxMb ?? 0) * 1e6,
    barrier: deps.handle.driver === 'postgres',
    log: deps.log,
    copy: deps.handle,
  });
  const unlistenRates = rateIndex.enabled
    ? await deps.handle.listen(
        RATING_CHANNEL,
        (payload) => rateIndex.onNotify(payload),
        () => rateIndex.clear(),
      )
    : async () => {};

  const jobCtx = { db: deps.handle.db, clock, log: deps.log, ports: deps.ports };
  const stopJobs = deps.runJobs ? startScheduler(jobCtx) : async () => {};
  const kicker = deliveryKicker(jobCtx);
  const unlistenDelivery =
    (deps.kickDelivery ?? deps.runJobs)
      ? await deps.handle.listen(DELIVERY_CHANNEL, kicker.kick, kicker.kickAll)
      : async () => {};

  const xmlApi: XmlApiTools = {
    generateHash,
    gatedMethods: Object.fromEntries(
      METHODS.flatMap((m) => (m.access && m.hash !== null ? [[m.name, m.access] as const] : [])),
    ),
  };

  const app = new Hono({ getPath: singleSlashPath });
  const metrics = new Metrics();
  const procedures = new Set(Object.keys((appRouter._def as unknown as { procedures: object }).procedures));
  app.use(
    '*',
    accessLog(deps.log, clientIp, (c, seconds) => {
      const note = c.get('access');
      const path = c.req.path;
      const label: RequestLabel = note?.method
        ? { api: 'xml', method: note.method }
        : path.startsWith('/trpc/')
          ? { api: 'trpc', method: procedures.has(path.slice(6)) ? path.slice(6) : '-' }
          : { api: 'other', method: '-' };
      const status = c.res.status;
      const outcome = status >= 500 ? 'error' : status >= 400 || note?.error ? 'refused' : 'ok';
      metrics.observe(label, outcome, seconds);
    }),
  );
  const pipeline = {
    handle: deps.handle,
    authCache,
    rateIndex,
    log: deps.log,
    clock,
    ports: deps.ports,
    objects: deps.objectStore,
  };
  for (const prefix of ['/billing/api', '/api']) mountMor(app, prefix, pipeline, clientIp, deps.rawBody);

  const createContext = createContextFactory({ ...pipeline, clientIp, xmlApi });
  // tRPC bodies (JSON) are limited while they stream, like the XML API's (limitBody).
  app.use('/trpc/*', async (c, next) => {
    let limited: ReturnType<typeof limitBody>;
    try {
      limited = limitBody(c.req.raw);
    } catch (error) {
      if (error instanceof BodyTooLarge) return trpcTooLarge();
      throw error;
    }
    c.req.raw = limited.request;
    await next();
    if (limited.exceeded()) c.res = trpcTooLarge();
  });
  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: async (opts, c) => {
        const context = await createContext(opts, c);
        if (context.ctx) (c as Context).set('access', { caller: context.ctx.actor.username });
        return context;
      },
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          deps.log.error('trpc procedure failed', { path, error: errorText(error.cause ?? error) });
        }
      },
    }),
  );

  mountCallsCsv(app, { ...pipeline, clientIp });
  mountRecordings(app, { ...pipeline, clientIp });

  // The admin API's own description, public like the XML method list (no data, no secrets): built on first use.
  let described: { catalogue: unknown; openApi: unknown } | null = null;
  const describe = () => {
    described ??= { catalogue: { version: OPENMOR_VERSION, procedures: trpcCatalogue() }, openApi: openApiDocument() };
    return described;
  };
  app.get('/admin/catalogue.json', (c) => c.json(describe().catalogue));
  app.get('/openapi.json', (c) => c.json(describe().openApi));

  app.get('/health', (c) =>
    c.json({
      status: 'ok',
      version: OPENMOR_VERSION,
      driver: deps.handle.driver,
      rateIndex: rateIndex.enabled ? rateIndex.stats() : null,
    }),
  );
  // Readiness (beyond liveness): the database answers `select 1` within the deadline.
  app.get('/ready', async (c) => {
    const failed = await probeDatabase(deps.handle, deps.readyTimeoutMs ?? 2000);
    if (!failed) return c.json({ status: 'ready' });
    deps.log.warn('not ready', {
      reason: failed.reason,
      ...(failed.error ? { error: errorText(failed.error) } : {}),
    });
    return c.json({ status: 'unavailable', reason: failed.reason }, 503);
  });
  // Prometheus, behind an admin's bearer token (the bootstrap admin token or one issued with tokens.issue).
  app.get('/metrics', async (c) => {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
    const actor = token ? await authCache.token(token) : null;
    if (actor?.usertype !== 'admin') return c.text('Unauthorized', 401, { 'www-authenticate': 'Bearer' });
    const auth = authCache.stats();
    const rates = rateIndex.stats();
    const text = metrics.render([
      {
        name: 'openmor_up_seconds',
        help: 'Seconds since this instance started.',
        type: 'gauge',
        values: [[{}, (Date.now() - metrics.started) / 1000]],
      },
      {
        name: 'openmor_db_pool_max',
        help: 'Connections the database pool may open.',
        type: 'gauge',
        values: [[{ driver: deps.handle.driver }, deps.handle.poolMax ?? 1]],
      },
      {
        name: 'openmor_auth_cache_lookups_total',
        help: 'Auth lookups, answered from memory (hit) or loaded (miss).',
        type: 'counter',
        values: [
          [{ result: 'hit' }, auth.hits],
          [{ result: 'miss' }, auth.misses],
        ],
      },
      {
        name: 'openmor_auth_cache_invalidations_total',
        help: 'Times the auth cache was dropped.',
        type: 'counter',
        values: [[{}, auth.invalidations]],
      },
      {
        name: 'openmor_auth_cache_entries',
        help: 'Accounts the auth cache holds.',
        type: 'gauge',
        values: [[{ enabled: String(authCache.enabled) }, auth.entries]],
      },
      {
        name: 'openmor_rate_index_lookups_total',
        help: 'rate_get lookups answered by the rate index (hit) or by SQL (miss).',
        type: 'counter',
        values: [
          [{ result: 'hit' }, rates.hits],
          [{ result: 'miss' }, rates.misses],
        ],
      },
      {
        name: 'openmor_rate_index_rows',
        help: 'Rate rows the in-process index holds.',
        type: 'gauge',
        values: [[{ enabled: String(rateIndex.enabled) }, rates.heldRows]],
      },
      {
        name: 'openmor_rate_index_tariffs',
        help: 'Tariffs the rate index holds.',
        type: 'gauge',
        values: [[{}, rates.tariffs]],
      },
    ]);
    return c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  app.notFound((c) => c.text('Not Found', 404));
  app.onError((error, c) => {
    const id = crypto.randomUUID();
    deps.log.error('unhandled error', { id, error: errorText(error) });
    return c.text(`Internal error (request ${id})`, 500);
  });
  return {
    app,
    invalidateAuth: () => authCache.invalidate(),
    rateIndex,
    xmlApi,
    close: async () => {
      await unlistenDelivery();
      await kicker.stop();
      await stopJobs();
      await unlistenRates();
      await unlisten();
    },
  };
}
