import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { sessions, users } from '../../src/db/schema/users.ts';
import { statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createReseller, createUser, FIXTURE_PASSWORD, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const DECL = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>';
const loginOk = (id: number) =>
  `${DECL}\n<action>\n  <name>login</name>\n  <status>ok</status>\n  <user_id>${id}</user_id>\n  <status_message>Successfully logged in</status_message>\n</action>\n`;
const loginFailed = `${DECL}\n<action>\n  <name>login</name>\n  <status>failed</status>\n  <status_message>Login failed</status_message>\n</action>\n`;
const logoutXml = (status: string) =>
  `${DECL}\n<action>\n  <name>logout</name>\n  <status>${status}</status>\n</action>\n`;
const UP = ['u', 'p'] as const;

let user: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  user = await createUser(api.handle, { username: 'john' });
});

describe('user_login', () => {
  it('logs in with hash = sha1(u + p + key), sets a session cookie and marks the user online', async () => {
    const res = await api.call('user_login', { u: 'john', p: FIXTURE_PASSWORD }, { hashOf: UP });
    expect(res.body).toBe(loginOk(user.id));
    expect(res.headers.get('set-cookie')).toMatch(/^openmor_session=\w{40}; Path=\/; HttpOnly/);
    const [row] = await api.handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.logged).toBe(true);
    expect((await api.handle.db.select().from(sessions).where(eq(sessions.userId, user.id))).length).toBe(1);
    const log = await api.handle.db.select().from(actions).where(eq(actions.targetId, user.id));
    expect(log.map((a) => a.action)).toContain('login');
  });

  it('works for the admin and under the alias login', async () => {
    const res = await api.call('login', { u: 'admin', p: 'admin-password' }, { hashOf: UP, prefix: '/api' });
    expect(res.body).toBe(loginOk(0));
  });

  it('fails alike for a wrong password, an unknown user and a blocked user', async () => {
    const blocked = await createUser(api.handle, { blocked: true });
    for (const [u, p] of [
      ['john', 'wrong'],
      ['ghost', FIXTURE_PASSWORD],
      [blocked.username, FIXTURE_PASSWORD],
    ] as const) {
      const res = await api.call('user_login', { u, p }, { hashOf: UP });
      expect(res.body).toBe(loginFailed);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('refuses a wrong hash, or a hash in the wrong order', async () => {
    const params = { u: 'john', p: FIXTURE_PASSWORD };
    expect((await api.call('user_login', params, { hashOf: ['p', 'u'] })).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await api.call('user_login', params, { hash: null })).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it("hashes a reseller's users with the reseller's key", async () => {
    const reseller = await createReseller(api.handle, 'reseller-key');
    const own = await createUser(api.handle, { ownerId: reseller.id });
    const params = { u: own.username, p: FIXTURE_PASSWORD };
    expect((await api.call('user_login', params, { hashOf: UP })).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await api.call('user_login', params, { hashOf: UP, key: 'reseller-key' })).body).toBe(loginOk(own.id));
  });

  it('logs in by e-mail only when Allow login by email is on', async () => {
    await api.handle.exec(
      `insert into addresses (id, email) values (9001, 'john@example.com'); update users set address_id = 9001 where username = 'john'`,
    );
    const params = { u: 'john@example.com', p: FIXTURE_PASSWORD };
    expect((await api.call('user_login', params, { hashOf: UP })).body).toBe(loginFailed);
    await setConflines(api.handle, 0, { allow_login_by_email: '1' });
    api.changed();
    expect((await api.call('user_login', params, { hashOf: UP })).body).toBe(loginOk(user.id));
    await setConflines(api.handle, 0, { allow_login_by_email: '0' });
    api.changed();
  });

  it('redirects to the GUI main page when Allow API Login Redirect is on; failure has no message', async () => {
    await setConflines(api.handle, 0, { allow_api_login_redirect: '1' });
    api.changed();
    const ok = await api.call('user_login', { u: 'john', p: FIXTURE_PASSWORD }, { hashOf: UP });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/billing/callc/main');
    expect(ok.headers.get('set-cookie')).toMatch(/^openmor_session=/);
    const bad = await api.call('user_login', { u: 'john', p: 'x' }, { hashOf: UP });
    expect(bad.body).toBe(`${DECL}\n<action>\n  <name>login</name>\n  <status>failed</status>\n</action>\n`);
    await setConflines(api.handle, 0, { allow_api_login_redirect: '0' });
    api.changed();
  });
});

describe('user_logout', () => {
  it('logs out with hash = sha1(key): sessions end, user offline, action logged', async () => {
    await api.call('user_login', { u: 'john', p: FIXTURE_PASSWORD }, { hashOf: UP });
    const res = await api.call('user_logout', { u: 'john' });
    expect(res.body).toBe(logoutXml('ok'));
    const [row] = await api.handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.logged).toBe(false);
    expect((await api.handle.db.select().from(sessions).where(eq(sessions.userId, user.id))).length).toBe(0);
    const log = await api.handle.db.select().from(actions).where(eq(actions.targetId, user.id));
    expect(log.map((a) => a.action)).toContain('logout');
  });

  it('answers ok for an account that was not logged in, also under the alias logout', async () => {
    expect((await api.call('logout', { u: 'john' })).body).toBe(logoutXml('ok'));
  });

  it('answers failed for an unknown or missing account', async () => {
    expect((await api.call('user_logout', { u: 'ghost' })).body).toBe(logoutXml('failed'));
    expect((await api.call('user_logout', {})).body).toBe(logoutXml('failed'));
  });

  it('ignores a p parameter and refuses a wrong hash', async () => {
    expect((await api.call('user_logout', { u: 'john', p: 'whatever' })).body).toBe(logoutXml('ok'));
    expect((await api.call('user_logout', { u: 'john' }, { hashOf: ['u'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it("needs the reseller's key for a reseller's user", async () => {
    const reseller = await createReseller(api.handle, 'key-of-r2');
    const own = await createUser(api.handle, { ownerId: reseller.id });
    expect((await api.call('user_logout', { u: own.username })).body).toBe(statusErrorXml('Incorrect hash'));
    expect((await api.call('user_logout', { u: own.username }, { key: 'key-of-r2' })).body).toBe(logoutXml('ok'));
  });
});
