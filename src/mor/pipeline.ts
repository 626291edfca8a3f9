import type { DbHandle } from '../db/types.ts';
import type { AuthCache } from '../domain/auth/cache.ts';
import type { AccountLookup } from '../domain/auth/loadAuth.ts';
import type { AuthInfo } from '../domain/auth/types.ts';
import type { Ctx, Log } from '../domain/ctx.ts';
import { once } from '../domain/idempotency/once.ts';
import type { Ports } from '../domain/ports.ts';
import type { RateIndex } from '../domain/rating/cache/rateIndex.ts';
import type { ObjectStore } from '../domain/recordings/objectStore.ts';
import { MorRefusal, morMessage } from './errors.ts';
import { callerHashOrder, computeHash, hashMatches } from './hash.ts';
import { idempotencyClaim } from './idempotency.ts';
import { ipAllowed } from './ip.ts';
import type { AltHash, MethodDef } from './method.ts';
import { BodyTooLarge, type Params, readParams } from './params.ts';
import { findMethod } from './registry.ts';
import { refuseUnsigned } from './signature.ts';
import { type MorReply, pageStatusError, statusError } from './xml.ts';

export interface PipelineDeps {
  handle: DbHandle;
  authCache: AuthCache;
  rateIndex: RateIndex;
  log: Log;
  clock: () => Date;
  ports?: Ports;
  /** Recording audio store, handed to the domain Ctx. */
  objects?: ObjectStore;
}

export interface MorRequest {
  request: Request;
  /** Path after /api/ or /billing/api/, undecoded: `<method>[/<segment>][/]`. */
  path: string;
  clientIp: string;
  /** The body as bytes by the runtime's own faster reader; null to use the web Request (see RawBody). */
  rawBody?: () => Promise<Uint8Array> | null;
}

/** The outcome: a reply plus how to render it (the "XML API Extension" flag). */
export interface PipelineResult {
  reply: MorReply;
  html: boolean;
  status: number;
  /** The method answers gzip-encoded when the client accepts it (tariff_rates_get). */
  gzip: boolean;
  /** For the access log: the MOR method name (when it exists) and the caller's username (when known). */
  method?: string;
  caller?: string;
}

const ACCESS_DENIED = statusError('Access Denied');

/**
 * Runs one XML API request through docs/pipeline.md §7: route → API enabled → verb → client IP → caller →
 * hash → role and API permission group → the method. Every failure is a MOR error document.
 */
export async function runPipeline(deps: PipelineDeps, req: MorRequest): Promise<PipelineResult> {
  const [rawName = '', ...rest] = req.path.split('/');
  const method = findMethod(safeDecode(rawName));
  let html = false;
  let caller: string | undefined;
  const done = (reply: MorReply, status = 200): PipelineResult => ({
    reply,
    html,
    status,
    gzip: method?.gzip === true && status === 200,
    method: method?.name,
    caller,
  });
  try {
    const segment = safeDecode(rest.join('/').replace(/\/+$/, ''));
    const params = await readParams(
      req.request,
      method?.pathParam ? { name: method.pathParam, value: segment } : undefined,
      req.rawBody,
    );
    // 1. Route: an unknown method answers like a denied caller and costs no query.
    if (!method) return done(ACCESS_DENIED);
    const auth = await deps.authCache.get(lookupFor(method, params));
    html = auth.settings.xmlApiExtension;
    // 2. API enabled.
    if (!auth.settings.allowApi) return done(statusError('API Requests are disabled'));
    // 3. Verb.
    if (req.request.method !== 'POST' && !(isGet(req.request.method) && auth.settings.allowGetApi)) {
      return done(statusError('GET Requests are disabled'));
    }
    // 4. Client IP.
    if (auth.settings.restrictApiByIp && !ipAllowed(req.clientIp, auth.apiWhitelist)) return done(ACCESS_DENIED);
    // 5. Caller.
    const account = auth.account;
    caller = account?.username;
    if (method.identity === 'caller' && (!account || account.blocked)) {
      return done(method.unknownCaller ?? ACCESS_DENIED);
    }
    const key = method.keyScope === 'admin' || !account ? auth.adminKey : auth.keyOwner;
    if (method.keyScope !== 'admin' && !key.allowApi) return done(statusError('API Requests are disabled'));
    // 6. Hash; or, where the key owner requires it, the signature (it wins over Disable hash checking).
    if (method.hash !== null && key.requireApiSignature) {
      const signer = { db: deps.handle.db, clock: deps.clock, log: deps.log };
      const refused = await refuseUnsigned(signer, method.name, req.request, params, key);
      if (refused !== null) return done(statusError(refused));
    } else if (
      method.hash !== null &&
      !key.disableHashChecking &&
      !hashOk(method, params, key.apiSecretKey, account?.usertype)
    ) {
      return done(statusError('Incorrect hash'));
    }
    // 7. Role and API permission group.
    const wrap = method.errorWrapper ?? pageStatusError;
    if (account && method.identity === 'caller' && !method.callers.includes(account.usertype)) {
      return done(wrap('Access Denied'));
    }
    if (account && (method.identity === 'caller' || method.identity === 'account') && !permitted(method, auth)) {
      return done(statusError('You are not authorized to view this page'));
    }
    const base: Omit<Ctx, 'actor'> = {
      db: deps.handle.db,
      clock: deps.clock,
      log: deps.log,
      ip: req.clientIp,
      invalidateAuth: () => deps.authCache.invalidate(),
      rateIndex: deps.rateIndex,
      ports: deps.ports,
      objects: deps.objects,
    };
    const ctx: Ctx | null = account && method.identity !== 'none' ? { ...base, actor: account } : null;
    try {
      const call = { params, auth, ctx, base, handle: deps.handle, method, url: req.request.url };
      const claim = ctx && method.movesMoney ? idempotencyClaim(req.request, method, params) : undefined;
      // With a key, the method runs inside the transaction that claims it (see domain/idempotency).
      const reply =
        ctx && claim
          ? await once(ctx, claim, (tx) => method.run({ ...call, ctx: tx, base: { ...base, db: tx.db } }))
          : await method.run(call);
      // The caller's next request must see the rates this one changed (see RateIndex.settle).
      if (method.changesRates) await deps.rateIndex.settle();
      return done(reply);
    } catch (error) {
      if (error instanceof MorRefusal) return done(error.reply);
      const message = morMessage(error);
      if (message !== null) return done(wrap(message));
      throw error;
    }
  } catch (error) {
    if (error instanceof BodyTooLarge) return done(statusError('Request is too large'), 413);
    const id = crypto.randomUUID();
    deps.log.error('xml api request failed', {
      id,
      method: method?.name,
      error: String((error as Error)?.stack ?? error),
    });
    return done(statusError(`Internal error (request ${id})`), 500);
  }
}

function lookupFor(method: MethodDef, params: Params): AccountLookup {
  if (method.identity === 'caller' || method.identity === 'account') {
    const u = params.value('u');
    return u === undefined ? null : { by: 'username', value: u };
  }
  if (method.identity === 'uniquehash') {
    const id = params.value('id');
    return id === undefined ? null : { by: 'uniquehash', value: id };
  }
  return null;
}

function hashOk(method: MethodDef, params: Params, key: string, usertype: string | undefined): boolean {
  // An empty key would make the hash guessable: nothing matches it.
  if (!key || method.hash === null) return false;
  const received = params.get('hash');
  const order = callerHashOrder(method, params, usertype);
  if (hashMatches(received, computeHash(order, params, key))) return true;
  for (const alt of method.altHashes ?? []) {
    if (altApplies(alt, order, params) && hashMatches(received, computeHash(alt.order, params, key))) return true;
  }
  for (const dynamic of method.dynamicHashes?.(params) ?? []) {
    if (hashMatches(received, computeHash(dynamic, params, key))) return true;
  }
  return false;
}

/**
 * An alternative digest signs only the parameters it names: it counts only when the request sends
 * everything it `requires` and no parameter of the documented order that it leaves out (sent at all,
 * even empty). Otherwise `sha1(device + key)` would sign a username change (device_update).
 */
function altApplies(alt: AltHash, order: readonly string[], params: Params): boolean {
  if (alt.requires?.some((name) => params.value(name) === undefined)) return false;
  return order.every((name) => alt.order.includes(name) || !params.has(name));
}

/** API permission groups (docs/pipeline.md §9): write satisfies read; a method absent from the group is disabled. */
function permitted(method: MethodDef, auth: AuthInfo): boolean {
  const levels = auth.account?.apiLevels;
  if (!levels || method.access === null) return true;
  return (levels[method.name] ?? 0) >= (method.access === 'write' ? 2 : 1);
}

const isGet = (verb: string) => verb === 'GET' || verb === 'HEAD';

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
