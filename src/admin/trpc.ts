import { initTRPC, StandardSchemaV1Error, TRPCError } from '@trpc/server';
import type { FetchCreateContextFnOptions } from '@trpc/server/adapters/fetch';
import type { DbHandle } from '../db/types.ts';
import type { ApiMethodClasses } from '../domain/apiPermissionGroups/scope.ts';
import type { AuthCache } from '../domain/auth/cache.ts';
import type { Account } from '../domain/auth/types.ts';
import type { Ctx, Log } from '../domain/ctx.ts';
import { DomainError, type DomainErrorCode } from '../domain/errors.ts';
import type { Ports } from '../domain/ports.ts';
import type { RateIndex } from '../domain/rating/cache/rateIndex.ts';
import type { ObjectStore } from '../domain/recordings/objectStore.ts';

/**
 * What the admin API needs from the XML API, handed over by the app (the two adapters never import
 * each other): MOR's "Generate hash" tool and the methods an API permission group can gate.
 */
export interface XmlApiTools {
  generateHash(ctx: Ctx, method: string, values: Record<string, string>): Promise<GeneratedHash>;
  /** Every hash-protected XML method with its access class (read or write). */
  gatedMethods: ApiMethodClasses;
}

export interface GeneratedHash {
  method: string;
  /** Hash parameters in order, with "secret_key" last. */
  order: string[];
  /** The exact string that is hashed, with the secret key masked. */
  hashedString: string;
  hash: string;
}

export interface AdminDeps {
  handle: DbHandle;
  xmlApi: XmlApiTools;
  authCache: AuthCache;
  rateIndex: RateIndex;
  log: Log;
  clock: () => Date;
  clientIp: (request: Request, env: unknown) => string;
  ports?: Ports;
  objects?: ObjectStore;
}

/** tRPC context: the domain Ctx of the token's account, or null when the token is missing or wrong. */
export type AdminContext = {
  ctx: Ctx | null;
  handle: DbHandle;
  rateIndex: RateIndex;
  xmlApi: XmlApiTools;
};

/** Builds the per-request context from `Authorization: Bearer <token>`. */
export function createContextFactory(deps: AdminDeps) {
  return async (opts: FetchCreateContextFnOptions, c?: { env?: unknown }): Promise<AdminContext> => {
    const header = opts.req.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const actor: Account | null = token ? await deps.authCache.token(token) : null;
    const ctx: Ctx | null = actor && {
      db: deps.handle.db,
      actor,
      clock: deps.clock,
      log: deps.log,
      ip: deps.clientIp(opts.req, c?.env),
      invalidateAuth: () => deps.authCache.invalidate(),
      rateIndex: deps.rateIndex,
      ports: deps.ports,
      objects: deps.objects,
    };
    return { ctx, handle: deps.handle, rateIndex: deps.rateIndex, xmlApi: deps.xmlApi };
  };
}

const STATUS: Record<DomainErrorCode, TRPCError['code']> = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  INVALID: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  DISABLED: 'PRECONDITION_FAILED',
  UNAUTHENTICATED: 'UNAUTHORIZED',
};

/** A schema issue as the client sees it: `rates.2.price` and the message. */
const issueOf = (issue: StandardSchemaV1Error['issues'][number]) => ({
  path: (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.'),
  message: issue.message,
});

const t = initTRPC.context<AdminContext>().create({
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    // An unexpected failure (SQL, bug) is logged by the app; its text never reaches the client.
    message:
      error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof DomainError)
        ? 'Internal error'
        : shape.message,
    data: {
      ...shape.data,
      stack: undefined,
      detail: error.cause instanceof DomainError ? error.cause.detail : undefined,
      // A validation failure lists every issue of the input at once, each with its dotted path.
      issues: error.cause instanceof StandardSchemaV1Error ? error.cause.issues.map(issueOf) : undefined,
    },
  }),
});

export const router = t.router;

/** Any valid token; DomainErrors become typed tRPC errors, everything else a generic 500. */
export const authed = t.procedure.use(async ({ ctx, next, type }) => {
  if (!ctx.ctx) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid bearer token' });
  const result = await next({ ctx: { ...ctx, ctx: ctx.ctx } });
  // The caller's next request must see the rates a mutation changed (see RateIndex.settle).
  if (type === 'mutation') await ctx.rateIndex.settle();
  const cause = result.ok ? null : result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: STATUS[cause.code], message: cause.message, cause });
  }
  return result;
});

/** Admin only. */
export const adminOnly = authed.use(({ ctx, next }) => {
  if (ctx.ctx.actor.usertype !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Admin only' });
  return next();
});
