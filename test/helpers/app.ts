import { afterAll, beforeAll } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { sha1Hex } from '../../src/domain/crypto.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import type { Ports } from '../../src/domain/ports.ts';
import type { ObjectStore } from '../../src/domain/recordings/objectStore.ts';
import { escapeText } from '../../src/mor/xml.ts';
import { freshDatabase, TEST } from './db.ts';

export interface CallOptions {
  /** HTTP verb (default POST). */
  verb?: string;
  /** Path prefix (default /billing/api). */
  prefix?: string;
  /** Hash: computed from `hashOf` + key when omitted; pass null to send none. */
  hash?: string | null;
  /** Parameter names hashed in order, when `hash` is omitted (default: none → sha1(key)). */
  hashOf?: readonly string[];
  key?: string;
  /** Where parameters travel: query string (default), form body, JSON body, multipart body. */
  as?: 'query' | 'form' | 'json' | 'multipart';
  /** Path segment after the method (by_psw / by_username). */
  segment?: string;
  clientIp?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  handle: DbHandle;
  app: App;
  /** Sets the client IP the next requests come from. */
  clientIp: string;
  /** Calls an XML API method; returns status, headers and body text. */
  call(
    method: string,
    params?: Record<string, string>,
    options?: CallOptions,
  ): Promise<{ status: number; body: string; headers: Headers }>;
  /** Call after writing auth-relevant rows directly (fixtures), as the domain does after its writes. */
  changed(): void;
  /** sha1 of the values of `names` in order + key. */
  hash(params: Record<string, string>, names: readonly string[], key?: string): Promise<string>;
}

/** Methods answered from the in-process rate index when it is warm (asked cold and warm, see below). */
const INDEXED = new Set(['rate_get', 'rate']);

/**
 * One fresh database and app per test file (registered with beforeAll/afterAll). Auth caching and the
 * rate index are on, as on Node, so tests also prove that changes take effect on the next request.
 * Every rate_get is asked twice, cold (SQL lookup) and, once the index has loaded what it needs, warm
 * (in-process index): the two answers must be identical, so every rate_get test checks both paths.
 */
export function useTestApp(
  options: {
    cacheAuth?: boolean;
    rateIndexMaxMb?: number;
    clock?: () => Date;
    ports?: () => Ports;
    objectStore?: ObjectStore;
    kickDelivery?: boolean;
  } = {},
): TestApi {
  const api = { clientIp: '127.0.0.1' } as TestApi;
  beforeAll(async () => {
    api.handle = await freshDatabase();
    api.app = await createApp({
      handle: api.handle,
      log: silentLog,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ports ? { ports: options.ports() } : {}),
      cacheAuth: options.cacheAuth ?? true,
      rateIndexMaxMb: options.rateIndexMaxMb ?? 1024,
      clientIp: (request) => request.headers.get('x-test-client-ip') ?? '127.0.0.1',
      objectStore: options.objectStore,
      kickDelivery: options.kickDelivery ?? false,
    });
  });
  afterAll(async () => {
    await api.app?.close();
    await api.handle?.close();
  });
  api.changed = () => api.app.invalidateAuth();
  api.hash = (params, names, key = TEST.apiSecretKey) => sha1Hex(names.map((n) => params[n] ?? '').join('') + key);
  api.call = async (method, params = {}, o = {}) => {
    const all = { ...params };
    if (o.hash !== null && !('hash' in params)) all.hash = o.hash ?? (await api.hash(params, o.hashOf ?? [], o.key));
    const url = new URL(
      `http://openmor.test${o.prefix ?? '/billing/api'}/${method}${o.segment !== undefined ? `/${o.segment}` : ''}`,
    );
    const as = o.as ?? 'query';
    const headers: Record<string, string> = { 'x-test-client-ip': o.clientIp ?? api.clientIp, ...o.headers };
    let body: string | FormData | undefined;
    if (as === 'query') for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
    else if (as === 'form') {
      body = new URLSearchParams(all).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (as === 'json') {
      body = JSON.stringify(all);
      headers['content-type'] = 'application/json';
    } else {
      const form = new FormData();
      for (const [k, v] of Object.entries(all)) form.set(k, v);
      body = form;
    }
    // Fixtures write rows directly: make sure this instance has heard of them (Postgres NOTIFY is async).
    await api.app.rateIndex.settle();
    const send = async () => {
      const response = await api.app.app.request(url.toString(), { method: o.verb ?? 'POST', headers, body });
      return { status: response.status, body: await response.text(), headers: response.headers };
    };
    const index = api.app.rateIndex;
    if (!INDEXED.has(method) || !index.enabled) return send();
    index.paused = true;
    const cold = await send().finally(() => {
      index.paused = false;
    });
    await send(); // a miss starts the loads this lookup needs
    await index.idle();
    const hits = index.stats().hits;
    const warm = await send();
    // Calls refused before the lookup (hash, rights, settings) never reach the index.
    if (index.stats().hits === hits && warm.body.includes('<rate>'))
      throw new Error(`${method}: not answered by the index`);
    if (warm.body !== cold.body) {
      throw new Error(`${method}: the rate index answered\n${warm.body}\nbut the SQL lookup answered\n${cold.body}`);
    }
    return warm;
  };
  return api;
}

/** Builds the exact XML MOR documents use, for comparisons (indentation as openmor renders). */
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
export function statusErrorXml(message: string) {
  return `${XML_DECL}\n<status>\n  <error>${escapeText(message)}</error>\n</status>\n`;
}
export function pageErrorXml(message: string) {
  return `${XML_DECL}\n<page>\n  <error>${escapeText(message)}</error>\n</page>\n`;
}
export function pageStatusErrorXml(message: string) {
  return `${XML_DECL}\n<page>\n  <status>\n    <error>${escapeText(message)}</error>\n  </status>\n</page>\n`;
}
