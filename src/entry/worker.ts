// Cloudflare Workers entry (wrangler.toml): Postgres only, through DATABASE_URL (a secret or Hyperdrive).
import { webPorts } from '../adapters/webPorts.ts';
import { createApp } from '../app.ts';
import { parseConfig, type RawEnv } from '../config.ts';
import { connectPostgres } from '../db/connectPostgres.ts';
import { runDueJobs } from '../domain/jobs/jobs.ts';
import { createLog } from '../log.ts';
import { initialise, SecretsRequired } from '../start.ts';
import { type R2BucketLike, r2ObjectStore } from './r2ObjectStore.ts';

/** Vars and secrets (strings), plus an optional Hyperdrive binding that then supplies the database URL. */
type WorkerEnv = Record<string, unknown> & {
  DATABASE_URL?: string;
  HYPERDRIVE?: { connectionString: string };
  /** R2 bucket of recording audio (wrangler.toml `[[r2_buckets]]` binding `RECORDINGS`); none = recordings off. */
  RECORDINGS?: R2BucketLike;
};

/** Migration + bootstrap, once per isolate; retried by the next request if it failed. */
let ready: Promise<void> | undefined;

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    const url = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL;
    const config = parseConfig({ ...(env as RawEnv), DATABASE_URL: url });
    if (!config.databaseUrl) return new Response('DATABASE_URL is not set', { status: 500 });
    const log = createLog(config.logLevel);
    // No I/O object may outlive its request on Workers: one connection per request, closed after it.
    const handle = await connectPostgres(config.databaseUrl, { max: 1 });
    try {
      ready ??= initialise(handle, config, log, { printSecrets: false }).catch((error) => {
        ready = undefined;
        throw error;
      });
      try {
        await ready;
      } catch (error) {
        if (!(error instanceof SecretsRequired)) throw error;
        log.error(error.message);
        return new Response(`${error.message}\n`, { status: 503, headers: { 'content-type': 'text/plain' } });
      }
      const clientIp = (req: Request) => req.headers.get('cf-connecting-ip') ?? 'unknown';
      const objectStore = env.RECORDINGS ? r2ObjectStore(env.RECORDINGS) : undefined;
      const { app } = await createApp({
        handle,
        log,
        cacheAuth: false,
        clientIp,
        ports: webPorts(config),
        objectStore,
      });
      return await app.fetch(request, env, ctx as never);
    } finally {
      ctx.waitUntil(handle.close());
    }
  },

  /** Cron Trigger (wrangler.toml `[triggers]`): one scheduler tick, as Node and Deno run every minute. */
  async scheduled(_event: unknown, env: WorkerEnv, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    const url = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL;
    const config = parseConfig({ ...(env as RawEnv), DATABASE_URL: url });
    if (!config.databaseUrl) return;
    const log = createLog(config.logLevel);
    const handle = await connectPostgres(config.databaseUrl, { max: 1 });
    try {
      ready ??= initialise(handle, config, log, { printSecrets: false }).catch((error) => {
        ready = undefined;
        throw error;
      });
      try {
        await ready;
      } catch (error) {
        if (!(error instanceof SecretsRequired)) throw error;
        log.error(error.message);
        return;
      }
      await runDueJobs({ db: handle.db, clock: () => new Date(), log, ports: webPorts(config) });
    } finally {
      ctx.waitUntil(handle.close());
    }
  },
};
