// The client address behind trusted proxies, on a real Node server (MOR_TRUST_PROXY=1): the API IP
// whitelist must see the address the trusted proxy appended to X-Forwarded-For (the rightmost entry),
// never one the client wrote to its left. A client once passed a whitelist of 10.9.9.9 by sending
// `X-Forwarded-For: 10.9.9.9` through the proxy (which made it `10.9.9.9, 203.0.113.5`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { forwardedClientIp } from '../../src/mor/ip.ts';
import { SERVER_SECRETS, type ServerProcess, startServer } from '../helpers/server.ts';

describe('forwardedClientIp', () => {
  it('takes the entry the outermost trusted proxy appended: N-th from the right for N hops', () => {
    const header = '10.9.9.9, 198.51.100.7,203.0.113.5';
    expect(forwardedClientIp(header, 1)).toBe('203.0.113.5');
    expect(forwardedClientIp(header, 2)).toBe('198.51.100.7');
    expect(forwardedClientIp(header, 3)).toBe('10.9.9.9');
    expect(forwardedClientIp(header, 5)).toBe('10.9.9.9'); // fewer entries than hops: the leftmost
    expect(forwardedClientIp(' 203.0.113.5 ', 1)).toBe('203.0.113.5');
  });

  it('is undefined (the socket address stands) when trust is off or the header is absent or empty', () => {
    expect(forwardedClientIp('203.0.113.5', 0)).toBeUndefined();
    expect(forwardedClientIp(null, 1)).toBeUndefined();
    expect(forwardedClientIp(' , ', 1)).toBeUndefined();
  });

  it('reads MOR_TRUST_PROXY as a hop count (1/true/yes = 1 hop, 0/false/no = off) and refuses anything else', () => {
    const hops = (value: string) => parseConfig({ MOR_TRUST_PROXY: value }).trustProxy;
    expect([hops('0'), hops('1'), hops('2'), hops('true'), hops('yes'), hops('no'), hops('false')]).toEqual([
      0, 1, 2, 1, 1, 0, 0,
    ]);
    expect(parseConfig({}).trustProxy).toBe(0);
    expect(() => parseConfig({ MOR_TRUST_PROXY: 'on' })).toThrow(/MOR_TRUST_PROXY: must be 0 \(off\) or the number/);
    expect(() => parseConfig({ MOR_TRUST_PROXY: '-1' })).toThrow(/MOR_TRUST_PROXY/);
  });
});

describe('the API IP whitelist behind one trusted proxy (real server)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ env: { MOR_TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const trpc = async (path: string, input: unknown) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/trpc/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVER_SECRETS.MOR_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    expect(response.status).toBe(200);
  };
  const versionFrom = async (forwardedFor: string) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/billing/api/system_version_get`, {
      method: 'POST',
      headers: { 'x-forwarded-for': forwardedFor, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'u=admin',
    });
    return response.text();
  };

  it('admits the whitelisted address only when the proxy appended it', async () => {
    await trpc('whitelistedIps.create', { ip: '10.9.9.9', allowApi: true });
    await trpc('settings.update', { restrictApiByIp: true, disableHashChecking: true });
    // The client wrote 10.9.9.9; the proxy appended the real address 203.0.113.5.
    expect(await versionFrom('10.9.9.9, 203.0.113.5')).toContain('<error>Access Denied</error>');
    // A client at 10.9.9.9 (the proxy appended it) is admitted, whatever it wrote itself.
    expect(await versionFrom('203.0.113.5, 10.9.9.9')).toContain('<version>');
    expect(await versionFrom('10.9.9.9')).toContain('<version>');
  });
});
