/**
 * The one HTTP smoke script every runtime must pass (Node, Deno, workerd): plain fetch against a
 * running server, nothing runtime-specific. test/runtime/run.ts drives it; by hand:
 *   MOR_API_SECRET_KEY=... MOR_ADMIN_TOKEN=... node --import tsx test/runtime/smoke.ts http://127.0.0.1:8080
 */
import { VERSION_TEXT } from '../../src/version.ts';

export interface SmokeTarget {
  baseUrl: string;
  apiSecretKey: string;
  adminToken: string;
  /** Expected `driver` in /health ('pglite' | 'postgres'); unchecked when omitted. */
  driver?: string;
}

export interface SmokeResult {
  name: string;
  ok: boolean;
  detail?: string;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const VERSION_XML = `${XML_DECL}\n<page>\n  <version>${VERSION_TEXT}</version>\n</page>\n`;
const statusError = (message: string) => `${XML_DECL}\n<status>\n  <error>${message}</error>\n</status>\n`;

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

class Mismatch extends Error {}

function expectEqual(what: string, actual: unknown, expected: unknown) {
  if (actual !== expected) {
    throw new Mismatch(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Runs every check (never throws); one result per check. */
export async function smoke(target: SmokeTarget): Promise<SmokeResult[]> {
  const base = target.baseUrl.replace(/\/$/, '');
  const hash = await sha1Hex(target.apiSecretKey);
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };

  const checks: [string, () => Promise<void>][] = [
    [
      'health',
      async () => {
        const res = await request('/health');
        expectEqual('status', res.status, 200);
        const json = JSON.parse(res.body) as { status?: string; driver?: string };
        expectEqual('health.status', json.status, 'ok');
        if (target.driver) expectEqual('health.driver', json.driver, target.driver);
      },
    ],
    [
      'hash ok (POST form body)',
      async () => {
        const res = await request('/billing/api/system_version_get', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ u: 'admin', hash }).toString(),
        });
        expectEqual('status', res.status, 200);
        expectEqual('content-type', res.type, 'text/xml; charset=utf-8');
        expectEqual('body', res.body, VERSION_XML);
      },
    ],
    [
      'hash wrong (POST query string)',
      async () => {
        const res = await request('/billing/api/system_version_get?u=admin&hash=0000', { method: 'POST' });
        expectEqual('body', res.body, statusError('Incorrect hash'));
      },
    ],
    [
      'GET refused',
      async () => {
        const res = await request(`/billing/api/system_version_get?u=admin&hash=${hash}`);
        expectEqual('body', res.body, statusError('GET Requests are disabled'));
      },
    ],
    [
      'alias /api/get_version (POST multipart body)',
      async () => {
        const form = new FormData();
        form.set('u', 'admin');
        form.set('hash', hash);
        const res = await request('/api/get_version', { method: 'POST', body: form });
        expectEqual('body', res.body, VERSION_XML);
      },
    ],
    [
      'tRPC settings.get with bearer token',
      async () => {
        const res = await request('/trpc/settings.get', { headers: { authorization: `Bearer ${target.adminToken}` } });
        expectEqual('status', res.status, 200);
        const json = JSON.parse(res.body) as { result?: { data?: { allowApi?: unknown } } };
        expectEqual('result.data.allowApi', json.result?.data?.allowApi, true);
      },
    ],
    [
      'tRPC settings.get without token → 401',
      async () => {
        const res = await request('/trpc/settings.get');
        expectEqual('status', res.status, 401);
      },
    ],
  ];

  const results: SmokeResult[] = [];
  for (const [name, check] of checks) {
    try {
      await check();
      results.push({ name, ok: true });
    } catch (error) {
      results.push({ name, ok: false, detail: error instanceof Mismatch ? error.message : String(error) });
    }
  }
  return results;
}

// Standalone: node --import tsx test/runtime/smoke.ts <baseUrl>
if (typeof process !== 'undefined' && process.argv[1]?.endsWith('smoke.ts')) {
  const baseUrl = process.argv[2] ?? 'http://127.0.0.1:8080';
  const results = await smoke({
    baseUrl,
    apiSecretKey: process.env.MOR_API_SECRET_KEY ?? '',
    adminToken: process.env.MOR_ADMIN_TOKEN ?? '',
  });
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
