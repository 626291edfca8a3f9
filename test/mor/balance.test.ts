import { beforeAll, describe, expect, it } from 'vitest';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createCurrency,
  createDevice,
  createReseller,
  createUser,
  setConflines,
} from '../helpers/factories.ts';

const api = useTestApp();
const balanceXml = (b: string, currency?: string) =>
  `${XML_DECL}\n<page>\n  <balance>${b}</balance>\n${currency ? `  <currency>${currency}</currency>\n` : ''}</page>\n`;
const H = ['username', 'currency'] as const;

let alice: Awaited<ReturnType<typeof createUser>>;
let bob: Awaited<ReturnType<typeof createUser>>;
let reseller: Awaited<ReturnType<typeof createReseller>>;
let otherReseller: Awaited<ReturnType<typeof createReseller>>;
let carol: Awaited<ReturnType<typeof createUser>>;
let eur: Awaited<ReturnType<typeof createCurrency>>;

beforeAll(async () => {
  eur = await createCurrency(api.handle, 'EUR', '0.7351');
  alice = await createUser(api.handle, { balance: '66', currencyId: eur.id });
  bob = await createUser(api.handle, { balance: '-349282.18' });
  reseller = await createReseller(api.handle, 'reseller-key');
  otherReseller = await createReseller(api.handle, 'other-key');
  carol = await createUser(api.handle, { ownerId: reseller.id, balance: '12.345678' });
  await setConflines(api.handle, 0, { allow_balance_over_http: '1' });
  api.changed();
});

describe('user_balance_get', () => {
  it('answers the balance with 4 decimals, hash = sha1(username + key)', async () => {
    const res = await api.call('user_balance_get', { u: 'admin', username: alice.username }, { hashOf: H });
    expect(res.body).toBe(balanceXml('66.0000'));
    const neg = await api.call('user_balance_get', { u: 'admin', username: bob.username }, { hashOf: H });
    expect(neg.body).toBe(balanceXml('-349282.1800'));
  });

  it('hashes currency after username when sent, and converts exactly', async () => {
    const params = { u: 'admin', username: alice.username, currency: 'EUR' };
    expect((await api.call('user_balance_get', params, { hashOf: H })).body).toBe(balanceXml('48.5166'));
    // username-only hash is wrong once currency is sent
    expect((await api.call('user_balance_get', params, { hashOf: ['username'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    // reversed order is wrong
    expect((await api.call('user_balance_get', params, { hashOf: ['currency', 'username'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('treats USER as the user currency and unknown codes as the system currency', async () => {
    const user = { u: 'admin', username: alice.username, currency: 'USER' };
    expect((await api.call('user_balance_get', user, { hashOf: H })).body).toBe(balanceXml('48.5166'));
    const unknown = { u: 'admin', username: alice.username, currency: 'XYZ' };
    expect((await api.call('user_balance_get', unknown, { hashOf: H })).body).toBe(balanceXml('66.0000'));
  });

  it('with user_currency=1 answers in the user currency and names it (user_currency not hashed)', async () => {
    const params = { u: 'admin', username: alice.username, user_currency: '1', currency: 'USD' };
    expect((await api.call('user_balance_get', params, { hashOf: H })).body).toBe(balanceXml('48.5166', 'EUR'));
  });

  it('is served under the alias balance and /api', async () => {
    const res = await api.call('balance', { u: 'admin', username: alice.username }, { hashOf: H, prefix: '/api' });
    expect(res.body).toBe(balanceXml('66.0000'));
  });

  it('answers User was not found for unknown, empty and missing usernames', async () => {
    for (const params of [{ u: 'admin', username: 'ghost' }, { u: 'admin', username: '' }, { u: 'admin' }] as Record<
      string,
      string
    >[]) {
      const res = await api.call('user_balance_get', params, { hashOf: H });
      expect(res.body).toBe(pageErrorXml('User was not found'));
    }
  });

  it('lets a reseller see itself and its users with its own key, never another reseller’s', async () => {
    const own = { u: reseller.username, username: carol.username };
    expect((await api.call('user_balance_get', own, { hashOf: H, key: 'reseller-key' })).body).toBe(
      balanceXml('12.3457'),
    );
    const self = { u: reseller.username, username: reseller.username };
    expect((await api.call('user_balance_get', self, { hashOf: H, key: 'reseller-key' })).body).toBe(
      balanceXml('0.0000'),
    );
    for (const username of [carol.username, alice.username, 'admin']) {
      const res = await api.call(
        'user_balance_get',
        { u: otherReseller.username, username },
        { hashOf: H, key: 'other-key' },
      );
      expect(res.body).toBe(pageErrorXml('User was not found'));
    }
    // the admin key does not work for a reseller caller
    expect((await api.call('user_balance_get', own, { hashOf: H })).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('lets a simple user see only itself; its reseller’s users hash with the reseller key', async () => {
    expect(
      (await api.call('user_balance_get', { u: alice.username, username: alice.username }, { hashOf: H })).body,
    ).toBe(balanceXml('66.0000'));
    expect(
      (await api.call('user_balance_get', { u: alice.username, username: bob.username }, { hashOf: H })).body,
    ).toBe(pageErrorXml('User was not found'));
    const mine = { u: carol.username, username: carol.username };
    expect((await api.call('user_balance_get', mine, { hashOf: H, key: 'reseller-key' })).body).toBe(
      balanceXml('12.3457'),
    );
  });

  it('lets an accountant read admin users only with See Financial Data', async () => {
    const allowed = await createAccountant(api.handle, { see_financial_data: 1 });
    const denied = await createAccountant(api.handle, {});
    const ok = await api.call('user_balance_get', { u: allowed.username, username: alice.username }, { hashOf: H });
    expect(ok.body).toBe(balanceXml('66.0000'));
    const no = await api.call('user_balance_get', { u: denied.username, username: alice.username }, { hashOf: H });
    expect(no.body).toBe(pageErrorXml('You are not authorized to view this page'));
    const resellers = await api.call(
      'user_balance_get',
      { u: allowed.username, username: carol.username },
      { hashOf: H },
    );
    expect(resellers.body).toBe(pageErrorXml('User was not found'));
  });

  it('answers Feature disabled when balance over HTTP is off, after the hash check', async () => {
    await setConflines(api.handle, 0, { allow_balance_over_http: '0' });
    api.changed();
    const res = await api.call('user_balance_get', { u: 'admin', username: alice.username }, { hashOf: H });
    expect(res.body).toBe(pageErrorXml('Feature disabled'));
    const bad = await api.call('user_balance_get', { u: 'admin', username: alice.username }, { hash: 'x' });
    expect(bad.body).toBe(statusErrorXml('Incorrect hash'));
    await setConflines(api.handle, 0, { allow_balance_over_http: '1' });
    api.changed();
  });

  it('answers Access Denied for an unknown caller', async () => {
    const res = await api.call('user_balance_get', { u: 'nobody', username: alice.username }, { hashOf: H });
    expect(res.body).toBe(statusErrorXml('Access Denied'));
  });
});

describe('user_simple_balance_get', () => {
  it('answers the plain balance by uniquehash, without hash', async () => {
    const res = await api.call('user_simple_balance_get', { id: alice.uniquehash }, { hash: null });
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('66.0000');
    const eurRes = await api.call('simple_balance', { id: alice.uniquehash, currency: 'EUR' }, { hash: null });
    expect(eurRes.body).toBe('48.5166');
  });

  it('answers Incorrect hash for an unknown uniquehash', async () => {
    const res = await api.call('user_simple_balance_get', { id: 'nope' }, { hash: null });
    expect(res.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers plain Feature disabled when the setting is off', async () => {
    await setConflines(api.handle, 0, { allow_balance_over_http: '0' });
    api.changed();
    const res = await api.call('user_simple_balance_get', { id: alice.uniquehash }, { hash: null });
    expect(res.body).toBe('Feature disabled');
    await setConflines(api.handle, 0, { allow_balance_over_http: '1' });
    api.changed();
  });
});

describe('user_balance_get_by_psw and _by_username', () => {
  it('answers the device owner balance by device password or device username', async () => {
    const device = await createDevice(api.handle, alice.id, { username: 'dev1001', secret: 'qqf5j971bygy' });
    const psw = await api.call('user_balance_get_by_psw', {}, { hash: null, segment: device.secret });
    expect(psw.body).toBe(balanceXml('66.0000'));
    const byName = await api.call(
      'user_balance_get_by_username',
      { currency: 'EUR' },
      { hash: null, segment: 'dev1001' },
    );
    expect(byName.body).toBe(balanceXml('48.5166'));
  });

  it('decodes URL-encoded segments', async () => {
    await createDevice(api.handle, bob.id, { username: 'dev/slash', secret: 'p@ss/w%rd' });
    const res = await api.call('user_balance_get_by_psw', {}, { hash: null, segment: encodeURIComponent('p@ss/w%rd') });
    expect(res.body).toBe(balanceXml('-349282.1800'));
  });

  it('answers User was not found for unknown, empty and shared passwords', async () => {
    await createDevice(api.handle, alice.id, { secret: 'shared-secret' });
    await createDevice(api.handle, bob.id, { secret: 'shared-secret' });
    for (const segment of ['unknown', '', 'shared-secret']) {
      const res = await api.call('user_balance_get_by_psw', {}, { hash: null, segment });
      expect(res.body).toBe(pageErrorXml('User was not found'));
    }
    const res = await api.call('user_balance_get_by_username', {}, { hash: null, segment: 'nobody' });
    expect(res.body).toBe(pageErrorXml('User was not found'));
  });

  it('answers Feature disabled when balance over HTTP is off', async () => {
    await setConflines(api.handle, 0, { allow_balance_over_http: '0' });
    api.changed();
    const res = await api.call('user_balance_get_by_username', {}, { hash: null, segment: 'dev1001' });
    expect(res.body).toBe(pageErrorXml('Feature disabled'));
    await setConflines(api.handle, 0, { allow_balance_over_http: '1' });
    api.changed();
  });
});
