import { apiPermissionGroupsRouter } from './routers/apiPermissionGroups.ts';
import { hashRouter } from './routers/hash.ts';
import { settingsRouter } from './routers/settings.ts';
import { tokensRouter } from './routers/tokens.ts';
import { whitelistedIpsRouter } from './routers/whitelistedIps.ts';
import { router } from './trpc.ts';

/** The typed admin API at /trpc. Import `AppRouter` in clients for full inference. */
export const appRouter = router({
  settings: settingsRouter,
  hash: hashRouter,
  tokens: tokensRouter,
  whitelistedIps: whitelistedIpsRouter,
  apiPermissionGroups: apiPermissionGroupsRouter,
});

export type AppRouter = typeof appRouter;
