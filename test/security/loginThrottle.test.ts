import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { useTestApp } from '../helpers/app.ts';
import { createUser, FIXTURE_PASSWORD, setConflines } from '../helpers/factories.ts';

/**
 * user_login throttles failed logins per (account, address), per account and per address, in the
 * database (issue #10 §4): 300 wrong passwords no longer leave the right one working at once, and an
 * attacker elsewhere cannot keep a real user out for long.
 */
let now = Date.parse('2026-03-01T10:00:00Z');
const api = useTestApp({ clock: () => new Date(now) });
const advance = (seconds: number) => {
  now += seconds * 1000;
};
const DECL = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>';
const answer = (status: string, message: string) =>
  `${DECL}\n<action>\n  <name>login</name>\n  <status>${status}</status>\n${message}</action>\n`;
const FAILED = answer('failed', '  <status_message>Login failed</status_message>\n');
const THROTTLED = answer(
  'failed',
  '  <status_message>Too many failed login attempts, try again later</status_message>\n',
);
const okFor = (id: number) =>
  answer('ok', `  <user_id>${id}</user_id>\n  <status_message>Successfully logged in</status_message>\n`);

const login = (u: string, p: string, ip = '198.51.100.7') =>
  api.call('user_login', { u, p }, { hashOf: ['u', 'p'], clientIp: ip });
let victim: { id: number; username: string };

beforeAll(async () => {
  victim = await createUser(api.handle, { username: 'victim' });
});

describe('failed-login throttle', () => {
  it('300 wrong passwords in a row: the right one is refused until the lock ends, then works', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 300; i++) answers.push((await login('victim', `wrong-${i}`)).body);
    expect(answers.slice(0, 5)).toEqual(Array(5).fill(FAILED));
    expect(
      answers
        .slice(5)
        .filter((a) => a !== THROTTLED)
        .slice(0, 2),
    ).toEqual([]);
    const locked = await login('victim', FIXTURE_PASSWORD);
    expect(locked.body).toBe(THROTTLED);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect(locked.headers.get('set-cookie')).toBeNull();
    advance(2);
    // Each further failure doubles the pair's lock: 2 s, then 4 s.
    expect((await login('victim', 'wrong-again')).body).toBe(FAILED);
    expect((await login('victim', FIXTURE_PASSWORD)).headers.get('retry-after')).toBe('2');
    advance(3);
    expect((await login('victim', 'wrong-again')).body).toBe(FAILED);
    expect((await login('victim', FIXTURE_PASSWORD)).headers.get('retry-after')).toBe('4');
    advance(5);
    expect((await login('victim', FIXTURE_PASSWORD)).body).toBe(okFor(victim.id));
    // Success clears the pair: five fresh failures are forgiven again.
    for (let i = 0; i < 5; i++) expect((await login('victim', 'x')).body).toBe(FAILED);
  });

  it('answers an unknown account exactly like a known one', async () => {
    const ghost: string[] = [];
    for (let i = 0; i < 7; i++) ghost.push((await login('nobody-here', `w${i}`, '198.51.100.8')).body);
    expect(ghost).toEqual([...Array(5).fill(FAILED), THROTTLED, THROTTLED]);
  });

  it('locks an account attacked from many addresses for at most 2 minutes; a trusted address still gets in', async () => {
    advance(3600);
    const user = await createUser(api.handle, { username: 'spread' });
    // The real user logged in from home before: that pair is trusted.
    expect((await login('spread', FIXTURE_PASSWORD, '203.0.113.1')).body).toBe(okFor(user.id));
    for (let i = 0; i < 40; i++) await login('spread', 'wrong', `192.0.2.${i + 1}`);
    // A new address meets the account-wide lock (capped at two minutes) …
    const fresh = await login('spread', FIXTURE_PASSWORD, '192.0.2.200');
    expect(fresh.body).toBe(THROTTLED);
    expect(Number(fresh.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    // … the trusted address does not.
    expect((await login('spread', FIXTURE_PASSWORD, '203.0.113.1')).body).toBe(okFor(user.id));
    advance(121);
    expect((await login('spread', FIXTURE_PASSWORD, '192.0.2.200')).body).toBe(okFor(user.id));
  });

  it('locks one address trying many accounts', async () => {
    advance(3600);
    const user = await createUser(api.handle, { username: 'sprayed' });
    for (let i = 0; i < 50; i++) expect((await login(`guess${i}`, 'Summer2026', '198.51.100.99')).body).toBe(FAILED);
    expect((await login('sprayed', FIXTURE_PASSWORD, '198.51.100.99')).body).toBe(THROTTLED);
    expect((await login('sprayed', FIXTURE_PASSWORD, '198.51.100.100')).body).toBe(okFor(user.id));
  });

  it('forgets failures after the window, holds across instances (rows in the database)', async () => {
    advance(3600);
    await createUser(api.handle, { username: 'forgetful' });
    for (let i = 0; i < 5; i++) await login('forgetful', 'w', '198.51.100.50');
    const rows = await queryRows<{ key: string; failures: number }>(
      api.handle.db,
      sql`select key, failures from login_throttle where key like '%forgetful%' order by key`,
    );
    expect(rows).toEqual([
      { key: 'account:forgetful', failures: 5 },
      { key: 'pair:forgetful|198.51.100.50', failures: 5 },
    ]);
    advance(16 * 60);
    expect((await login('forgetful', 'w', '198.51.100.50')).body).toBe(FAILED);
    expect((await login('forgetful', 'w', '198.51.100.50')).body).toBe(FAILED);
  });

  it('throttles with hash checking off too', async () => {
    advance(3600);
    await setConflines(api.handle, 0, { disable_hash_checking: '1' });
    api.changed();
    const bodies: string[] = [];
    for (let i = 0; i < 8; i++) {
      bodies.push(
        (await api.call('user_login', { u: 'victim', p: `n${i}` }, { hash: null, clientIp: '198.51.100.77' })).body,
      );
    }
    expect(bodies.slice(5)).toEqual([THROTTLED, THROTTLED, THROTTLED]);
    await setConflines(api.handle, 0, { disable_hash_checking: '0' });
    api.changed();
  });
});
