import { createHash, createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { connectPostgres } from '../../src/db/connectPostgres.ts';
import { queryRows } from '../../src/db/rows.ts';
import { users } from '../../src/db/schema/users.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { type Log, silentLog } from '../../src/domain/ctx.ts';
import { Params } from '../../src/mor/params.ts';
import { canonicalString } from '../../src/mor/signature.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser, getConfline, setConflines } from '../helpers/factories.ts';

// The server's clock (the app's injectable clock), in Unix seconds.
let nowSec = 1_900_000_000;
const api = useTestApp({ clock: () => new Date(nowSec * 1000) });

// The test's own signer, written independently of src/mor/signature.ts (node:crypto, encodeURIComponent).
const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const pairs = (entries: [string, string][]) =>
  entries
    .map(([k, v]) => `${enc(k)}=${v}`)
    .sort()
    .join('&');
function canonical(method: string, ts: string, nonce: string, params: Record<string, string>, files = {}) {
  const fileDigests = Object.entries(files as Record<string, string>).map(
    ([k, body]) => [k, createHash('sha256').update(body).digest('hex')] as [string, string],
  );
  const values = Object.entries(params).map(([k, v]) => [k, enc(v)] as [string, string]);
  return [method, ts, nonce, pairs(values), pairs(fileDigests)].join('\n');
}

let counter = 0;
const freshNonce = () => `n${Date.now().toString(36)}-${(++counter).toString().padStart(8, '0')}`;

interface Signing {
  method?: string;
  key?: string;
  ts?: number | string;
  nonce?: string;
  files?: Record<string, string>;
}

/** The three signature headers for `params`, signed as `method` with the admin's key by default. */
function sign(method: string, params: Record<string, string>, o: Signing = {}): Record<string, string> {
  const ts = String(o.ts ?? nowSec);
  const nonce = o.nonce ?? freshNonce();
  const mac = createHmac('sha256', o.key ?? TEST.apiSecretKey);
  mac.update(canonical(o.method ?? method, ts, nonce, params, o.files));
  return { 'X-MOR-Timestamp': ts, 'X-MOR-Nonce': nonce, 'X-MOR-Signature': mac.digest('hex') };
}

/** Calls `method` with `params` signed (no MOR hash unless `params` carries one). */
function signedCall(method: string, params: Record<string, string>, o: Signing & { as?: 'query' | 'form' } = {}) {
  return api.call(method, params, { hash: null, headers: sign(method, params, o), as: o.as ?? 'query' });
}

const balanceXml = (b: string) => `${XML_DECL}\n<page>\n  <balance>${b}</balance>\n</page>\n`;
const INCORRECT_HASH = statusErrorXml('Incorrect hash');
const BAD_TIMESTAMP = statusErrorXml('Incorrect timestamp');
const NONCE_USED = statusErrorXml('Nonce was already used');
const nonceRows = async () =>
  (await queryRows<{ n: number }>(api.handle.db, sql`select count(*)::int as n from api_nonces`))[0]!.n;
const balanceOf = async (id: number) =>
  (await api.handle.db.select({ b: users.balance }).from(users).where(eq(users.id, id)))[0]!.b;

async function requireSignature(username: string, on: boolean) {
  await (await callerAs(api, username)).settings.update({ requireApiSignature: on });
}

let alice: Awaited<ReturnType<typeof createUser>>;
let reseller: Awaited<ReturnType<typeof createReseller>>;
let carol: Awaited<ReturnType<typeof createUser>>;
const RESELLER_KEY = 'reseller-signing-key';

beforeAll(async () => {
  alice = await createUser(api.handle, { balance: '66' });
  reseller = await createReseller(api.handle, RESELLER_KEY);
  carol = await createUser(api.handle, { ownerId: reseller.id, balance: '7' });
  await setConflines(api.handle, 0, { allow_balance_over_http: '1' });
  api.changed();
});

describe('Require API signature: off (default)', () => {
  it('is off for the admin and for a reseller, and settings.get shows it', async () => {
    expect((await (await callerAs(api, 'admin')).settings.get()).requireApiSignature).toBe(false);
    expect((await (await callerAs(api, reseller.username)).settings.get()).requireApiSignature).toBe(false);
  });

  it('leaves the MOR hash path as it was: hash checked, signature headers ignored, no nonce stored', async () => {
    const params = { u: 'admin', username: alice.username };
    const hash = await api.hash(params, ['username']);
    expect((await api.call('user_balance_get', { ...params, hash })).body).toBe(balanceXml('66.0000'));
    expect((await api.call('user_balance_get', params, { hash: 'wrong' })).body).toBe(INCORRECT_HASH);
    // A correct signature does not replace the hash while the mode is off.
    expect((await signedCall('user_balance_get', params)).body).toBe(INCORRECT_HASH);
    // A client may sign ahead of the switch: hash + signature pass the MOR check.
    const both = { ...params, hash };
    const res = await api.call('user_balance_get', both, { headers: sign('user_balance_get', both) });
    expect(res.body).toBe(balanceXml('66.0000'));
    expect(await nonceRows()).toBe(0);
  });

  it("lets MOR's hash sign user_id=A,balance=23 and user_id=A2,balance=3 alike (the weakness fixed below)", async () => {
    const { a, a2 } = await ambiguousUsers();
    const hash = await api.hash({ user_id: String(a.id), balance: '23' }, ['user_id', 'balance']);
    const forged = { u: 'admin', user_id: `${a.id}2`, balance: '3', hash };
    expect((await api.call('user_balance_update', forged)).body).toContain('<status>User balance updated</status>');
    expect(await balanceOf(a2.id)).toBe('3.000000');
  });
});

/** Two users whose ids read A and A·10+2, so `A`+`23` and `A2`+`3` concatenate alike. */
let pair: { a: { id: number }; a2: { id: number } } | undefined;
async function ambiguousUsers() {
  if (pair) return pair;
  const a = await createUser(api.handle);
  let last = a;
  while (last.id < a.id * 10 + 2) last = await createUser(api.handle);
  if (last.id !== a.id * 10 + 2) throw new Error('ids are not consecutive');
  pair = { a, a2: last };
  return pair;
}

describe('Require API signature: on for the admin key', () => {
  beforeAll(async () => {
    await requireSignature('admin', true);
  });
  afterAll(async () => {
    await requireSignature('admin', false);
    await setConflines(api.handle, 0, { disable_hash_checking: '0' });
    api.changed();
  });

  it('is shown by settings.get and logged as a settings change', async () => {
    expect(await (await callerAs(api, 'admin')).settings.get()).toMatchObject({
      requireApiSignature: true,
      scope: 'global',
    });
    const logged = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from actions where data2 = 'require_api_signature=1'`,
    );
    expect(logged[0]!.n).toBe(1);
  });

  it('answers a correctly signed request and stores exactly one nonce for it', async () => {
    const before = await nonceRows();
    const res = await signedCall('user_balance_get', { u: 'admin', username: alice.username });
    expect(res.body).toBe(balanceXml('66.0000'));
    expect(await nonceRows()).toBe(before + 1);
  });

  it('refuses the plain MOR hash with Incorrect hash, even with Disable hash checking on', async () => {
    const params = { u: 'admin', username: alice.username };
    expect((await api.call('user_balance_get', params, { hashOf: ['username'] })).body).toBe(INCORRECT_HASH);
    await setConflines(api.handle, 0, { disable_hash_checking: '1' });
    api.changed();
    expect((await api.call('user_balance_get', params, { hash: null })).body).toBe(INCORRECT_HASH);
    expect((await signedCall('user_balance_get', params)).body).toBe(balanceXml('66.0000'));
    await setConflines(api.handle, 0, { disable_hash_checking: '0' });
    api.changed();
  });

  it('signs a sent `hash` like any other parameter and does not check it', async () => {
    const params = { u: 'admin', username: alice.username, hash: 'anything' };
    expect((await signedCall('user_balance_get', params)).body).toBe(balanceXml('66.0000'));
    const headers = sign('user_balance_get', params);
    const swapped = await api.call('user_balance_get', { ...params, hash: 'other' }, { headers });
    expect(swapped.body).toBe(INCORRECT_HASH);
  });

  it('refuses the same nonce twice, with Nonce was already used', async () => {
    const params = { u: 'admin', username: alice.username };
    const headers = sign('user_balance_get', params);
    expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(balanceXml('66.0000'));
    expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(NONCE_USED);
    // A new signature with the same nonce (other timestamp) is a replay too.
    const again = sign('user_balance_get', params, { nonce: headers['X-MOR-Nonce'], ts: nowSec - 10 });
    expect((await api.call('user_balance_get', params, { hash: null, headers: again })).body).toBe(NONCE_USED);
  });

  it('refuses a replay on a second instance and after a restart on the same database', async () => {
    const params = { u: 'admin', username: alice.username };
    const headers = sign('user_balance_get', params);
    expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(balanceXml('66.0000'));
    const url = `http://openmor.test/billing/api/user_balance_get?${new URLSearchParams(params)}`;
    await withSecondInstance(async (other) => {
      const res = await other.app.request(url, { method: 'POST', headers });
      expect(await res.text()).toBe(NONCE_USED);
      // The other instance accepts a fresh nonce (it reads the same settings and key).
      const fresh = await other.app.request(url, { method: 'POST', headers: sign('user_balance_get', params) });
      expect(await fresh.text()).toBe(balanceXml('66.0000'));
    });
    // This instance, restarted on the same database, still refuses it.
    await api.app.close();
    api.app = await createApp({
      handle: api.handle,
      log: silentLog,
      clock: () => new Date(nowSec * 1000),
      cacheAuth: true,
      clientIp: () => '127.0.0.1',
    });
    expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(NONCE_USED);
  });

  it('accepts exactly one of many concurrent uses of one nonce across two instances', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const params = { u: 'admin', user_id: String(user.id), balance: '1' };
    const headers = sign('user_balance_update', params);
    const url = `http://openmor.test/billing/api/user_balance_update?${new URLSearchParams(params)}`;
    await withSecondInstance(async (other) => {
      const bodies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          Promise.resolve((i % 2 ? other : api.app).app.request(url, { method: 'POST', headers })).then((r) =>
            r.text(),
          ),
        ),
      );
      expect(bodies.filter((b) => b.includes('User balance updated'))).toHaveLength(1);
      expect(bodies.filter((b) => b === NONCE_USED)).toHaveLength(11);
    });
    expect(await balanceOf(user.id)).toBe('1.000000');
  });

  it('accepts the same signature whatever the order or place of the parameters', async () => {
    const params = { u: 'admin', username: alice.username, currency: 'USD' };
    const headers = sign('user_balance_get', params);
    const reordered = `u=admin&currency=USD&username=${alice.username}`;
    const res = await api.app.app.request(`http://openmor.test/billing/api/user_balance_get?${reordered}`, {
      method: 'POST',
      headers,
    });
    expect(await res.text()).toBe(balanceXml('66.0000'));
    // Form body instead of the query string; and split between body and query string.
    expect((await signedCall('user_balance_get', params, { as: 'form' })).body).toBe(balanceXml('66.0000'));
    const split = await api.app.app.request(`http://openmor.test/billing/api/user_balance_get?currency=USD`, {
      method: 'POST',
      headers: { ...sign('user_balance_get', params), 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${alice.username}&u=admin`,
    });
    expect(await split.text()).toBe(balanceXml('66.0000'));
  });

  it('refuses a changed, added or removed parameter', async () => {
    const params = { u: 'admin', username: alice.username };
    const signedFor = (sent: Record<string, string>) =>
      api.call('user_balance_get', sent, { hash: null, headers: sign('user_balance_get', params) });
    expect((await signedFor({ ...params, username: 'admin' })).body).toBe(INCORRECT_HASH);
    expect((await signedFor({ ...params, currency: 'EUR' })).body).toBe(INCORRECT_HASH);
    expect((await signedFor({ u: 'admin' })).body).toBe(INCORRECT_HASH);
    // An empty value is a parameter too: sending it unsigned changes the request.
    expect((await signedFor({ ...params, currency: '' })).body).toBe(INCORRECT_HASH);
    expect((await signedFor(params)).body).toBe(balanceXml('66.0000'));
  });

  it('no longer signs user_id=A,balance=23 and user_id=A2,balance=3 alike', async () => {
    const { a, a2 } = await ambiguousUsers();
    const before = await balanceOf(a2.id);
    const original = { u: 'admin', user_id: String(a.id), balance: '23' };
    const headers = sign('user_balance_update', original);
    const forged = { u: 'admin', user_id: `${a.id}2`, balance: '3' };
    expect((await api.call('user_balance_update', forged, { hash: null, headers })).body).toBe(INCORRECT_HASH);
    expect(await balanceOf(a2.id)).toBe(before);
    expect((await api.call('user_balance_update', original, { hash: null, headers })).body).toContain(
      'User balance updated',
    );
  });

  it('accepts timestamps within ±5 minutes of the server clock and refuses ±6 minutes', async () => {
    const params = { u: 'admin', username: alice.username };
    for (const skew of [-240, 240, -300, 300]) {
      expect((await signedCall('user_balance_get', params, { ts: nowSec + skew })).body).toBe(balanceXml('66.0000'));
    }
    const before = await nonceRows();
    for (const skew of [-360, 360, -301, 301]) {
      expect((await signedCall('user_balance_get', params, { ts: nowSec + skew })).body).toBe(BAD_TIMESTAMP);
    }
    expect(await nonceRows()).toBe(before);
    // The server's clock moves, not the client's: a request signed 6 minutes ago is refused now.
    const headers = sign('user_balance_get', params);
    nowSec += 360;
    try {
      expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(BAD_TIMESTAMP);
    } finally {
      nowSec -= 360;
    }
  });

  it('answers Incorrect hash for missing or malformed signature headers and nothing is stored', async () => {
    const params = { u: 'admin', username: alice.username };
    const good = sign('user_balance_get', params);
    const before = await nonceRows();
    const variants: Record<string, string>[] = [
      {},
      { 'X-MOR-Timestamp': good['X-MOR-Timestamp']!, 'X-MOR-Nonce': good['X-MOR-Nonce']! },
      { ...good, 'X-MOR-Signature': 'f'.repeat(64) },
      sign('user_balance_get', params, { ts: `${nowSec}.5` }),
      sign('user_balance_get', params, { ts: '-1' }),
      sign('user_balance_get', params, { nonce: 'short-nonce-15c' }),
      sign('user_balance_get', params, { nonce: 'x'.repeat(65) }),
      sign('user_balance_get', params, { nonce: 'with space in the nonce' }),
      sign('user_balance_get', params, { key: 'another-key' }),
    ];
    for (const headers of variants) {
      expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(INCORRECT_HASH);
    }
    expect(await nonceRows()).toBe(before);
    // Bounds: 16 and 64 characters are accepted; the signature may be upper-case hex.
    for (const nonce of [`x${(++counter).toString().padStart(15, '0')}`, freshNonce().padEnd(64, '~')]) {
      const headers = sign('user_balance_get', params, { nonce });
      headers['X-MOR-Signature'] = headers['X-MOR-Signature']!.toUpperCase();
      expect((await api.call('user_balance_get', params, { hash: null, headers })).body).toBe(balanceXml('66.0000'));
    }
  });

  it('logs why a request was refused, never the key, the signature or the nonce', async () => {
    const lines: { msg: string; data?: Record<string, unknown> }[] = [];
    const log: Log = { ...silentLog, warn: (msg, data) => lines.push({ msg, data }) };
    const params = { u: 'admin', username: alice.username };
    const query = new URLSearchParams(params);
    const bad = { ...sign('user_balance_get', params), 'X-MOR-Signature': 'ab'.repeat(32) };
    const stale = sign('user_balance_get', params, { ts: nowSec - 600 });
    await withSecondInstance(async (other) => {
      const post = (q: string, headers: Record<string, string> = {}) =>
        other.app.request(`http://openmor.test/billing/api/user_balance_get?${q}`, { method: 'POST', headers });
      await post(`${query}&hash=${await api.hash(params, ['username'])}`);
      await post(String(query), bad);
      await post(String(query), stale);
    }, log);
    expect(lines.map((l) => l.data?.reason)).toEqual([
      'MOR hash sent without a signature',
      'signature does not match',
      'timestamp 600 s from the server clock',
    ]);
    expect(lines[0]).toMatchObject({
      msg: 'signed request refused',
      data: { method: 'user_balance_get', keyOwner: 0 },
    });
    const text = JSON.stringify(lines);
    for (const secret of [TEST.apiSecretKey, bad['X-MOR-Signature'], stale['X-MOR-Signature'], stale['X-MOR-Nonce']]) {
      expect(text).not.toContain(secret);
    }
  });

  it('signs the canonical method name: an alias path signs as the method, not as the alias', async () => {
    const params = { u: 'admin', username: alice.username };
    const viaAlias = (o: Signing) => api.call('balance', params, { hash: null, headers: sign('balance', params, o) });
    expect((await viaAlias({ method: 'user_balance_get' })).body).toBe(balanceXml('66.0000'));
    expect((await viaAlias({})).body).toBe(INCORRECT_HASH);
    // Another method's signature does not carry over.
    const other = await api.call('user_balance_get', params, {
      hash: null,
      headers: sign('user_details_get', params),
    });
    expect(other.body).toBe(INCORRECT_HASH);
  });

  it('percent-encodes names and values (UTF-8, RFC 3986) before sorting', async () => {
    const user = await createUser(api.handle, { username: "o'brien (ü) *x*!~", balance: '5' });
    const params = { u: 'admin', username: user.username, 'z key': 'a+b=c&d', 'A~': '%41' };
    expect((await signedCall('user_balance_get', params)).body).toBe(balanceXml('5.0000'));
    expect((await signedCall('user_balance_get', params, { as: 'form' })).body).toBe(balanceXml('5.0000'));
  });

  it('signs each uploaded file by the SHA-256 of its bytes', async () => {
    const params = { u: 'admin', username: alice.username };
    const send = (content: string, files: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(params)) form.set(k, v);
      form.set('attachment', new File([content], 'rates.csv'));
      const headers = sign('user_balance_get', { ...params, attachment: 'rates.csv' }, { files });
      return api.app.app.request('http://openmor.test/billing/api/user_balance_get', {
        method: 'POST',
        headers,
        body: form,
      });
    };
    expect(await (await send('1,2,3\n', { attachment: '1,2,3\n' })).text()).toBe(balanceXml('66.0000'));
    expect(await (await send('1,2,4\n', { attachment: '1,2,3\n' })).text()).toBe(INCORRECT_HASH);
  });

  it('requires the admin-key signature on conflines_update, which uses the admin key for every caller', async () => {
    const params = { u: reseller.username, default_user_call_limit: '3' };
    expect((await api.call('conflines_update', params, { hashOf: [] })).body).toBe(INCORRECT_HASH);
    const withResellerKey = await signedCall('conflines_update', params, { key: RESELLER_KEY });
    expect(withResellerKey.body).toBe(INCORRECT_HASH);
    expect((await signedCall('conflines_update', params)).body).toContain('Settings successfully updated');
  });

  it('accepts the documented test vector (docs/decisions.md), built by canonicalString letter for letter', async () => {
    const params = new Params(
      new Map([
        ['username', "o'brien ü"],
        ['u', 'admin'],
        ['a b', 'x&y'],
      ]),
    );
    const vector = 'user_balance_get\n1700000000\n0123456789abcdef\na%20b=x%26y&u=admin&username=o%27brien%20%C3%BC\n';
    expect(await canonicalString('user_balance_get', '1700000000', '0123456789abcdef', params)).toBe(vector);
    await createUser(api.handle, { username: "o'brien ü", balance: '1' });
    const start = nowSec;
    nowSec = 1_700_000_000 + 299;
    try {
      const res = await api.call('user_balance_get', Object.fromEntries(params.entries()), {
        hash: null,
        headers: {
          'X-MOR-Timestamp': '1700000000',
          'X-MOR-Nonce': '0123456789abcdef',
          'X-MOR-Signature': 'd49fe5d16a0880912fe5eb81f66ed0feaeb6680642ddcd4d4cfea6fec96476fb',
        },
      });
      expect(res.body).toBe(balanceXml('1.0000'));
    } finally {
      nowSec = start;
    }
  });

  it('cleans up expired nonces as it goes, and a nonce may serve again once its window has passed', async () => {
    const params = { u: 'admin', username: alice.username };
    const nonce = freshNonce();
    expect((await signedCall('user_balance_get', params, { nonce })).body).toBe(balanceXml('66.0000'));
    const start = nowSec;
    nowSec += 3600;
    try {
      expect(await nonceRows()).toBeGreaterThan(1);
      expect((await signedCall('user_balance_get', params, { nonce })).body).toBe(balanceXml('66.0000'));
      // That claim deleted the expired rows (fewer than 100 here) and kept only its own.
      expect(await nonceRows()).toBe(1);
    } finally {
      nowSec = start;
    }
  });
});

describe('Require API signature: on for a reseller key only', () => {
  beforeAll(async () => {
    await requireSignature(reseller.username, true);
  });
  afterAll(async () => {
    await requireSignature(reseller.username, false);
  });

  it("shows in the reseller's settings and not in the admin's", async () => {
    expect((await (await callerAs(api, reseller.username)).settings.get()).requireApiSignature).toBe(true);
    expect((await (await callerAs(api, 'admin')).settings.get()).requireApiSignature).toBe(false);
  });

  it('requires the signature, with the reseller key, from the reseller and its users', async () => {
    for (const u of [reseller.username, carol.username]) {
      const params = { u, username: carol.username };
      expect((await api.call('user_balance_get', params, { hashOf: ['username'], key: RESELLER_KEY })).body).toBe(
        INCORRECT_HASH,
      );
      expect((await signedCall('user_balance_get', params)).body).toBe(INCORRECT_HASH);
      expect((await signedCall('user_balance_get', params, { key: RESELLER_KEY })).body).toBe(balanceXml('7.0000'));
    }
  });

  it("leaves the admin's key on the MOR hash", async () => {
    const params = { u: 'admin', username: alice.username };
    expect((await api.call('user_balance_get', params, { hashOf: ['username'] })).body).toBe(balanceXml('66.0000'));
  });

  it('keeps nonces per key owner: the admin and the reseller may each use a nonce once', async () => {
    await requireSignature('admin', true);
    try {
      const nonce = freshNonce();
      const asAdmin = { u: 'admin', username: alice.username };
      const asReseller = { u: reseller.username, username: carol.username };
      expect((await signedCall('user_balance_get', asAdmin, { nonce })).body).toBe(balanceXml('66.0000'));
      expect((await signedCall('user_balance_get', asReseller, { nonce, key: RESELLER_KEY })).body).toBe(
        balanceXml('7.0000'),
      );
      expect((await signedCall('user_balance_get', asReseller, { nonce, key: RESELLER_KEY })).body).toBe(NONCE_USED);
    } finally {
      await requireSignature('admin', false);
    }
  });

  it("changes only the reseller's own setting through settings.update; users and accountants cannot", async () => {
    expect(await getConfline(api.handle, reseller.id, 'require_api_signature')).toBe('1');
    expect(await getConfline(api.handle, 0, 'require_api_signature')).toBe('0');
    const user = await callerAs(api, carol.username);
    expect((await trpcError(() => user.settings.update({ requireApiSignature: false }))).code).toBe('FORBIDDEN');
    expect(await getConfline(api.handle, reseller.id, 'require_api_signature')).toBe('1');
  });
});

/**
 * Runs `fn` with a second app on the same database: on Postgres through its own connection pool (a real
 * second instance), on PGlite over the same embedded database.
 */
async function withSecondInstance(fn: (other: App) => Promise<void>, log: Log = silentLog) {
  let handle: DbHandle = api.handle;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const [row] = await queryRows<{ name: string }>(api.handle.db, sql`select current_database() as name`);
    const target = new URL(url);
    target.pathname = `/${row!.name}`;
    handle = await connectPostgres(target.toString(), { max: 4 });
  }
  const other = await createApp({ handle, log, clock: () => new Date(nowSec * 1000) });
  try {
    await fn(other);
  } finally {
    await other.close();
    if (handle !== api.handle) await handle.close();
  }
}
