import type { DbHandle } from '../db/types.ts';
import type { AuthInfo, Usertype } from '../domain/auth/types.ts';
import type { Ctx } from '../domain/ctx.ts';
import type { Params } from './params.ts';
import type { ErrorWrapper, MorReply } from './xml.ts';

/** A documented parameter, for the catalogue and the docs. */
export interface ParamDoc {
  name: string;
  required?: boolean;
  description: string;
}

/**
 * How a method names the account it acts for:
 * - `caller`: `u` must name an existing account (else Access Denied); its key checks the hash;
 * - `account`: `u` names the account acted on (user_login/logout); unknown → the admin's key, and the
 *   method answers its own failure;
 * - `uniquehash`: the `id` parameter is a user's uniquehash (user_simple_balance_get);
 * - `none`: no account, no hash (device-credential balance methods).
 */
export type Identity = 'caller' | 'account' | 'uniquehash' | 'none';

/** What a handler receives once the pipeline let the request through. */
export interface MorCall {
  params: Params;
  auth: AuthInfo;
  /** Domain context acting as the caller (`caller`/`account` identities with a known account). */
  ctx: Ctx | null;
  /** Context without an actor, for methods whose account may be unknown. */
  base: Omit<Ctx, 'actor'>;
  handle: DbHandle;
  method: MethodDef;
  /** The request URL (methods that print links to this server, e.g. recordings' mp3_url). */
  url?: string;
}

/** An alternative hash order (MethodDef.altHashes). */
export interface AltHash {
  /** Parameters hashed, in order, then the key. */
  order: readonly string[];
  /** Accepted only when each of these is sent with a value (device_update's May-2014 `location_id`). */
  requires?: readonly string[];
}

export interface MethodDef {
  name: string;
  aliases?: readonly string[];
  family: string;
  summary: string;
  identity: Identity;
  /** Hash parameters in documented order ([] = secret key only); null = the method takes no hash. */
  hash: readonly string[] | null;
  /** Hash parameters that are skipped when another is sent: `{ device_u: 'device_id' }` = device_u is
   *  hashed only when device_id is absent (the one the method uses wins). Also how a synonym of a
   *  hashed parameter is hashed in its place (`{ device_name: 'username' }`). */
  hashUnless?: Readonly<Record<string, string>>;
  /**
   * Alternative digests accepted for tolerance of known clients. One signs only what it names, so the
   * pipeline accepts it only when the request sends every parameter it `requires` and none of the
   * parameters of the documented order (`hash`, after `hashUnless`) that it leaves out: those are the
   * ones that change something, and a digest that skipped them would sign a change nobody signed.
   */
  altHashes?: readonly AltHash[];
  /**
   * Further hash orders that depend on what the request sends (email_send hashes the template
   * variables it was sent); each is accepted like the documented order.
   */
  dynamicHashes?: (params: Params) => readonly (readonly string[])[];
  /**
   * `unlessAdmin`: `u` is hashed first unless the caller is an admin account (quickstats_get: "u is
   * included in to the HASH only if u is not an Admin").
   */
  hashU?: 'unlessAdmin';
  /** 'admin': the admin's API settings and key for every caller (conflines_update). */
  keyScope?: 'owner' | 'admin';
  /** Account types allowed; checked after the hash (docs/pipeline.md §7 step 7). */
  callers: readonly Usertype[];
  /** API permission group class (docs/pipeline.md §9); null = not gated. */
  access: 'read' | 'write' | null;
  /** Name under which the path segment after the method name is exposed (by_psw / by_username). */
  pathParam?: string;
  params: readonly ParamDoc[];
  /** Send the XML gzip-encoded when the request's Accept-Encoding allows it ("put in a gzipped file"). */
  gzip?: boolean;
  /**
   * The method may change what the rate index caches (rates, tariffs, a user's tariff or time zone,
   * the routing configuration: LCRs, providers, provider and location rules, exchange rates):
   * the pipeline settles the index after it (RateIndex.settle), so the caller's next rate_get sees it.
   */
  changesRates?: boolean;
  /**
   * The method moves money or creates a money document: it honours an `Idempotency-Key` header or an
   * `idempotency_key` parameter (outside the hash) and then runs at most once per caller and key.
   */
  movesMoney?: boolean;
  /** Reply for an unknown or missing `u`; default `<status><error>Access Denied</error></status>`. */
  unknownCaller?: MorReply;
  /** Wrapper of method-level errors (role denial among them); default `<page><status><error>`. */
  errorWrapper?: ErrorWrapper;
  run(call: MorCall): Promise<MorReply>;
}

export const defineMethod = (def: MethodDef): MethodDef => def;
