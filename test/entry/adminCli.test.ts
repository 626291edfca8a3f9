// The operator's console as an operator runs it: real `node` processes of src/entry/admin.ts against a
// PGlite folder, then a server on the same folder proves each change took effect.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { connectPglite } from '../../src/db/connectPglite.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { silentLog } from '../../src/domain/ctx.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let dir = '';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/entry/admin.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dir,
        MOR_ADMIN_PASSWORD: 'first-Password-1',
        MOR_API_SECRET_KEY: 'first-api-key',
        MOR_ADMIN_TOKEN: 'first-admin-token-0123456789',
      },
    });
    return { code: 0, out: stdout.trim(), err: stderr.trim() };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout.trim(), err: e.stderr.trim() };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openmor-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run admin', () => {
  const found: { password: string; key: string; kept: string; revoked: string } = {
    password: '',
    key: '',
    kept: '',
    revoked: '',
  };

  it('shows migration status, then recovers password, tokens and API key', { timeout: 180_000 }, async () => {
    const fresh = await cli('migrations');
    expect(fresh).toMatchObject({ code: 0 });
    expect(fresh.out).toMatch(/^applied: 0\npending: 0000_/);

    const reset = await cli('reset-password');
    expect(reset.code).toBe(0);
    // The first command on a new folder bootstraps it and says so first.
    expect(reset.out).toMatch(/^openmor: first start, the system was bootstrapped./);
    found.password = /^password of admin changed: (\S{20})$/m.exec(reset.out)![1]!;

    const issued = await cli('token', 'issue', '--name', 'ops laptop');
    found.revoked = /^token \d+ for admin \(shown once\): (mor_\S+)$/.exec(issued.out)![1]!;
    const id = /^token (\d+)/.exec(issued.out)![1]!;
    found.kept = /(mor_\S+)$/.exec((await cli('token', 'issue')).out)![1]!;
    const listed = await cli('token', 'list');
    expect(listed.out.split('\n').filter((line) => line.includes('\tadmin\t'))).toHaveLength(3);
    expect(listed.out).toContain(`${id}\tadmin\tops laptop\t`);
    expect(await cli('token', 'revoke', id)).toMatchObject({ code: 0, out: `token ${id} revoked` });
    expect(await cli('token', 'revoke', id)).toMatchObject({ code: 1, err: 'refused: Token is already revoked' });

    const rotated = await cli('api-key', 'rotate');
    found.key = /^API secret key of admin \(shown once\): (\S{24})$/.exec(rotated.out)![1]!;

    const status = await cli('migrations');
    expect(status.out).toMatch(/^applied: \d+ \(last \d{4}_\w+\)\npending: none$/);
    expect((await cli('bogus')).err).toContain('usage: npm run admin -- <command>');
    expect((await cli('reset-password', '--username', 'nobody')).err).toBe('no account named nobody');
  });

  describe('a server on the same folder afterwards', () => {
    let handle: DbHandle;
    let app: App;
    beforeAll(async () => {
      handle = await connectPglite(dir);
      app = await createApp({ handle, log: silentLog, cacheAuth: false });
    });
    afterAll(async () => {
      await app.close();
      await handle.close();
    });
    const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
    const login = (password: string, key: string) =>
      app.app.request(
        `/billing/api/user_login?u=admin&p=${encodeURIComponent(password)}&hash=${sha1(`admin${password}${key}`)}`,
        {
          method: 'POST',
        },
      );
    const whoAmI = (token: string) =>
      app.app.request('/trpc/settings.get', { headers: { authorization: `Bearer ${token}` } });

    it('takes the new password with the new key, and neither old secret', async () => {
      expect(await (await login(found.password, found.key)).text()).toContain('<status>ok</status>');
      expect(await (await login('first-Password-1', found.key)).text()).toContain('<status>failed</status>');
      expect(await (await login(found.password, 'first-api-key')).text()).toContain('Incorrect hash');
    });

    it('accepts the issued token and refuses the revoked one', async () => {
      expect((await whoAmI(found.kept)).status).toBe(200);
      expect((await whoAmI(found.revoked)).status).toBe(401);
    });
  });
});
