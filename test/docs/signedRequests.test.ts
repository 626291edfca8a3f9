import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser, setConflines } from '../helpers/factories.ts';

// The README's "Signed requests" examples, run as written against a real HTTP server on loopback with
// the server's real clock.
const api = useTestApp();
const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('## Signed requests'), readme.indexOf('## Environment'));
const blocks = (lang: string) => [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))];
const balanceXml = (b: string) => `${XML_DECL}\n<page>\n  <balance>${b}</balance>\n</page>\n`;

type MorSigned = (base: string, key: string, method: string, params: Record<string, string>) => Promise<Response>;

let base = '';
let server: ReturnType<typeof serve>;

beforeAll(async () => {
  await setConflines(api.handle, 0, { allow_balance_over_http: '1' });
  api.changed();
  await (await callerAs(api, 'admin')).settings.update({ requireApiSignature: true });
  server = serve({ fetch: api.app.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  const closed = new Promise((resolve) => server.close(resolve));
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await closed;
});

describe('README: signed requests', () => {
  it('the TypeScript example signs requests the server accepts, including values that need encoding', async () => {
    const [block] = blocks('ts');
    const { code } = await transform(block![1]!, { loader: 'ts', format: 'cjs' });
    const module = { exports: {} as { morSigned?: MorSigned } };
    new Function('module', 'exports', code)(module, module.exports);
    const morSigned = module.exports.morSigned!;
    const res = await morSigned(base, TEST.apiSecretKey, 'user_balance_get', { u: 'admin', username: 'admin' });
    expect(await res.text()).toBe(balanceXml('0.0000'));
    const odd = await createUser(api.handle, { username: "d'Artagnan & co (ü)*", balance: '3' });
    const params = { username: odd.username, u: 'admin', currency: 'USD' };
    expect(await (await morSigned(base, TEST.apiSecretKey, 'user_balance_get', params)).text()).toBe(
      balanceXml('3.0000'),
    );
    const wrongKey = await morSigned(base, 'not-the-key', 'user_balance_get', params);
    expect(await wrongKey.text()).toBe(statusErrorXml('Incorrect hash'));
  });

  it('the curl + openssl example signs a request the server accepts', async () => {
    const shell = blocks('sh').find((b) => b[1]!.includes('openssl dgst'));
    const script = shell![1]!
      .replace("KEY='the API secret key'", `KEY='${TEST.apiSecretKey}'`)
      .replace('http://127.0.0.1:8080', base);
    const run = promisify(execFile);
    expect((await run('bash', ['-c', script])).stdout).toBe(balanceXml('0.0000'));
    const wrong = script.replace(`KEY='${TEST.apiSecretKey}'`, "KEY='wrong'");
    expect((await run('bash', ['-c', wrong])).stdout).toBe(statusErrorXml('Incorrect hash'));
  });
});
