import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { sha1Hex } from '../../src/domain/crypto.ts';
import { createLog } from '../../src/log.ts';
import { freshDatabase, TEST } from '../helpers/db.ts';

// The real JSON-line log (src/log.ts), its console output captured.
let handle: DbHandle;
let app: App;
const out: string[] = [];
const original = { log: console.log, error: console.error };

beforeAll(async () => {
  handle = await freshDatabase();
  console.log = (line: string) => out.push(String(line));
  console.error = (line: string) => out.push(String(line));
  app = await createApp({
    handle,
    log: createLog('info'),
    clientIp: (request) => request.headers.get('x-test-client-ip') ?? '10.1.2.3',
  });
});
afterAll(async () => {
  console.log = original.log;
  console.error = original.error;
  await app?.close();
  await handle?.close();
});

/** Sends one request and returns its response and the access-log lines it wrote. */
async function send(url: string, init: RequestInit = {}) {
  const from = out.length;
  const response = await app.app.request(`http://openmor.test${url}`, init);
  const body = await response.text();
  const written = out.slice(from);
  const lines = written.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  return { response, body, lines, written: written.join('\n') };
}

const usersGet = (hash: string) =>
  `/billing/api/users_get?u=admin&p=${encodeURIComponent(TEST.adminPassword)}&hash=${hash}`;

describe('access log', () => {
  it('logs one line for an XML API call: MOR method, caller, status, duration, IP, request id', async () => {
    const hash = await sha1Hex(`admin${TEST.adminPassword}${TEST.apiSecretKey}`);
    const { response, body, lines, written } = await send(usersGet(hash), { method: 'POST' });
    expect(response.status).toBe(200);
    expect(body).toContain('<users>');
    expect(lines).toHaveLength(1);
    const line = lines[0];
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/billing/api/users_get',
      morMethod: 'users_get',
      caller: 'admin',
      status: 200,
      ip: '10.1.2.3',
    });
    expect(line.morError).toBeUndefined();
    expect(typeof line.ms).toBe('number');
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(line.requestId);
    // Neither the hash, the password nor the key reach the log.
    for (const secret of [hash, TEST.adminPassword, TEST.apiSecretKey]) expect(written).not.toContain(secret);
  });

  it('logs the MOR error string of a refusal, never the hash it was sent', async () => {
    const wrong = 'a'.repeat(40);
    const { body, lines, written } = await send(usersGet(wrong), {
      method: 'POST',
      headers: { 'x-request-id': 'lb-1234.abc_Z' },
    });
    expect(body).toContain('<error>Incorrect hash</error>');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId: 'lb-1234.abc_Z',
      morMethod: 'users_get',
      caller: 'admin',
      status: 200,
      morError: 'Incorrect hash',
    });
    expect(written).not.toContain(wrong);
    expect(written).not.toContain(TEST.adminPassword);
  });

  it('keeps a sane incoming X-Request-Id, replaces an insane one', async () => {
    const kept = await send('/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.response.headers.get('x-request-id')).toBe('abc-123');
    expect(kept.lines[0]).toMatchObject({ requestId: 'abc-123', method: 'GET', path: '/health', status: 200 });
    for (const insane of ['x'.repeat(101), 'has space', 'a"b', 'new\\nline', '']) {
      const r = await send('/health', { headers: { 'x-request-id': insane } });
      const id = r.response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.lines[0].requestId).toBe(id);
    }
  });

  it('never logs a path parameter of the XML API (device_password in the path)', async () => {
    const { lines, written } = await send('/billing/api/user_balance_get_by_psw/Secr3tDevPw');
    expect(lines).toHaveLength(1);
    expect(written).not.toContain('Secr3tDevPw');
    expect(lines[0]).toMatchObject({
      path: '/billing/api/user_balance_get_by_psw',
      morMethod: 'user_balance_get_by_psw',
    });
  });

  it('logs tRPC calls with the caller of the token, and refusals by status; never the token', async () => {
    const ok = await send('/trpc/settings.get', { headers: { authorization: `Bearer ${TEST.adminToken}` } });
    expect(ok.response.status).toBe(200);
    expect(ok.lines).toHaveLength(1);
    expect(ok.lines[0]).toMatchObject({ method: 'GET', path: '/trpc/settings.get', caller: 'admin', status: 200 });
    expect(ok.written).not.toContain(TEST.adminToken);
    const refused = await send('/trpc/settings.get', { headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(refused.lines[0]).toMatchObject({ path: '/trpc/settings.get', status: 401 });
    expect(refused.lines[0].caller).toBeUndefined();
    expect(refused.written).not.toContain('wrong-token-0123456789');
  });

  it('logs other routes and unknown paths (the query string never)', async () => {
    const nf = await send('/nowhere?token=abc123secret');
    expect(nf.lines[0]).toMatchObject({ method: 'GET', path: '/nowhere', status: 404 });
    expect(nf.written).not.toContain('abc123secret');
    const unknown = await send('/billing/api/no_such_method?hash=zzz', { method: 'POST' });
    expect(unknown.lines[0]).toMatchObject({
      path: '/billing/api/(unknown)',
      morMethod: '(unknown)',
      morError: 'Access Denied',
    });
  });
});
