import { hashRouter } from './routers/hash.ts';
import { settingsRouter } from './routers/settings.ts';
import { tokensRouter } from './routers/tokens.ts';
import { router } from './trpc.ts';

/** The typed admin API at /trpc. Import `AppRouter` in clients for full inference. */
export const appRouter = router({
  settings: settingsRouter,
  hash: hashRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
