import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { type AppRouter, appRouter } from '../../src/admin/router.ts';
import { loadAuth } from '../../src/domain/auth/loadAuth.ts';
import { type Ctx, silentLog } from '../../src/domain/ctx.ts';
import type { TestApi } from './app.ts';

/** The domain Ctx of an existing account (by username), acting from `ip`. */
export async function ctxFor(api: TestApi, username: string, ip = '127.0.0.1'): Promise<Ctx> {
  const { account } = await loadAuth(api.handle.db, { by: 'username', value: username });
  if (!account) throw new Error(`no account ${username}`);
  return {
    db: api.handle.db,
    actor: { ...account, apiLevels: null },
    clock: () => new Date(),
    log: silentLog,
    ip,
    invalidateAuth: () => api.app.invalidateAuth(),
    rateIndex: api.app.rateIndex,
  };
}

/**
 * A server-side tRPC caller acting as `username`, whatever its type: proves the domain's role rules
 * even for accounts that could never hold a token (simple users).
 */
export async function callerAs(api: TestApi, username: string) {
  return appRouter.createCaller({
    ctx: await ctxFor(api, username),
    handle: api.handle,
    rateIndex: api.app.rateIndex,
    xmlApi: api.app.xmlApi,
  });
}

/** A typed @trpc/client over the app's fetch handler (no network), with a bearer token. */
export function clientWith(api: TestApi, token: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: 'http://openmor.test/trpc',
        headers: () => (token === null ? {} : { authorization: `Bearer ${token}` }),
        fetch: async (url, init) => api.app.app.request(String(url), init as RequestInit),
      }),
    ],
  });
}

/** Runs `fn` and returns the TRPCError it throws (fails the test when it does not throw one). */
export async function trpcError(fn: () => Promise<unknown>): Promise<TRPCError> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}
