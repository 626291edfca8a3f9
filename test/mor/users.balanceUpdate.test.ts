import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const HASH = ['user_id', 'balance'] as const;
const ok = (username: string, id: number, balance: string) =>
  `${XML_DECL}\n<page>\n  <page>\n    <status>User balance updated</status>\n    <user>\n      <username>${username}</username>\n      <id>${id}</id>\n      <balance>${balance}</balance>\n    </user>\n  </page>\n</page>\n`;

const balanceOf = async (id: number) =>
  (await api.handle.db.select({ b: users.balance }).from(users).where(eq(users.id, id)))[0]!.b;
const logRows = (id: number) =>
  api.handle.db
    .select()
    .from(actions)
    .where(eq(actions.targetId, id))
    .then((rows) => rows.filter((r) => r.action === 'user_balance_changed'));

describe('user_balance_update', () => {
  it('adds the amount and answers the documented doubled page with the new balance', async () => {
    const user = await createUser(api.handle, { balance: '100' });
    const res = await api.call(
      'user_balance_update',
      { u: 'admin', user_id: String(user.id), balance: '-5.5' },
      { hashOf: HASH },
    );
    expect(res.body).toBe(ok(user.username, user.id, '94.5000'));
    expect(await balanceOf(user.id)).toBe('94.500000');
    const [log] = await logRows(user.id);
    expect(log).toMatchObject({ userId: 0, data: '100.000000', data2: '94.500000' });
  });

  it('applies 200 concurrent changes exactly, with exactly one action-log row each', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const amounts = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `-${(i % 7) + 0.01}` : `${i}.37`));
    const results = await Promise.all(
      amounts.map((balance) =>
        api.call('user_balance_update', { u: 'admin', user_id: String(user.id), balance }, { hashOf: HASH }),
      ),
    );
    for (const res of results) expect(res.body).toContain('<status>User balance updated</status>');
    // Expected sum in integer cents: no float arithmetic.
    const cents = amounts.reduce((sum, a) => sum + BigInt(a.replace('.', '')), 0n);
    const sign = cents < 0n ? '-' : '';
    const abs = cents < 0n ? -cents : cents;
    expect(await balanceOf(user.id)).toBe(`${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}0000`);
    expect(await logRows(user.id)).toHaveLength(200);
  });

  it('hashes user_id then balance (documented example: key 456789 gives b1bef446…)', async () => {
    expect(await api.hash({ user_id: '123', balance: '100' }, HASH, '456789')).toBe(
      'b1bef44691c237b574263e09b2838ad1e658e507',
    );
    const user = await createUser(api.handle, { balance: '1' });
    const params = { u: 'admin', user_id: String(user.id), balance: '2' };
    expect((await api.call('user_balance_update', params, { hashOf: ['balance', 'user_id'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await api.call('user_balance_update', params, { hash: null })).body).toBe(statusErrorXml('Incorrect hash'));
    expect(await balanceOf(user.id)).toBe('1.000000');
  });

  it('is served under the old names user_balance_change and change_user_balance, and under /api', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const params = { u: 'admin', user_id: String(user.id), balance: '1' };
    expect((await api.call('user_balance_change', params, { hashOf: HASH })).body).toBe(
      ok(user.username, user.id, '1.0000'),
    );
    expect((await api.call('change_user_balance', params, { hashOf: HASH })).body).toBe(
      ok(user.username, user.id, '2.0000'),
    );
    expect((await api.call('user_balance_update', params, { hashOf: HASH, prefix: '/api' })).body).toBe(
      ok(user.username, user.id, '3.0000'),
    );
  });

  it('answers Bad login for an unknown or missing u', async () => {
    const user = await createUser(api.handle);
    const params = { user_id: String(user.id), balance: '1' };
    expect((await api.call('user_balance_update', { ...params, u: 'nobody' }, { hashOf: HASH })).body).toBe(
      pageErrorXml('Bad login'),
    );
    expect((await api.call('user_balance_update', params, { hashOf: HASH })).body).toBe(pageErrorXml('Bad login'));
  });

  it('answers User was not found for a missing, malformed or unknown user_id', async () => {
    for (const user_id of ['', 'abc', '-1', '99999999']) {
      const res = await api.call('user_balance_update', { u: 'admin', user_id, balance: '1' }, { hashOf: HASH });
      expect(res.body).toBe(pageErrorXml('User was not found'));
    }
  });

  it('answers User balance not updated for a bad amount and changes nothing', async () => {
    const user = await createUser(api.handle, { balance: '7' });
    for (const balance of ['', 'abc', '1e3', '1.1234567', '12,5', '99999999999999999']) {
      const res = await api.call(
        'user_balance_update',
        { u: 'admin', user_id: String(user.id), balance },
        { hashOf: HASH },
      );
      expect(res.body).toBe(pageErrorXml('User balance not updated'));
    }
    const big = { u: 'admin', user_id: String(user.id), balance: '99999999999999' };
    expect((await api.call('user_balance_update', big, { hashOf: HASH })).body).toBe(
      pageErrorXml('User balance not updated'),
    );
    expect(await balanceOf(user.id)).toBe('7.000000');
    expect(await logRows(user.id)).toHaveLength(0);
  });

  it("lets a reseller change its own users' balances with its own key, never another reseller's", async () => {
    const r1 = await createReseller(api.handle, 'r1-key-000');
    const r2 = await createReseller(api.handle, 'r2-key-000');
    const mine = await createUser(api.handle, { ownerId: r1.id, balance: '10' });
    const theirs = await createUser(api.handle, { ownerId: r2.id, balance: '10' });
    const adminsUser = await createUser(api.handle, { balance: '10' });
    const call = (target: number) =>
      api.call(
        'user_balance_update',
        { u: r1.username, user_id: String(target), balance: '5' },
        { hashOf: HASH, key: 'r1-key-000' },
      );
    expect((await call(mine.id)).body).toBe(ok(mine.username, mine.id, '15.0000'));
    for (const target of [theirs.id, adminsUser.id, r1.id, r2.id, 0]) {
      expect((await call(target)).body).toBe(pageErrorXml('User was not found'));
    }
    expect(await balanceOf(theirs.id)).toBe('10.000000');
  });

  it("lets an accountant change admin's users only with Manage users and See financial data at write level", async () => {
    const allowed = await createAccountant(api.handle, { users_manage: 2, see_financial_data: 2 });
    const readOnly = await createAccountant(api.handle, { users_manage: 2, see_financial_data: 1 });
    const none = await createAccountant(api.handle);
    const reseller = await createReseller(api.handle);
    const adminsUser = await createUser(api.handle, { balance: '0' });
    const resellersUser = await createUser(api.handle, { ownerId: reseller.id });
    const call = (u: string, target: number) =>
      api.call('user_balance_update', { u, user_id: String(target), balance: '2.25' }, { hashOf: HASH });
    expect((await call(allowed.username, adminsUser.id)).body).toBe(ok(adminsUser.username, adminsUser.id, '2.2500'));
    expect((await call(allowed.username, resellersUser.id)).body).toBe(pageErrorXml('User was not found'));
    for (const acc of [readOnly, none]) {
      expect((await call(acc.username, adminsUser.id)).body).toBe(
        pageErrorXml('You are not authorized to view this page'),
      );
    }
    expect(await balanceOf(adminsUser.id)).toBe('2.250000');
  });

  it('refuses simple users, even on their own balance', async () => {
    const user = await createUser(api.handle, { balance: '3' });
    const res = await api.call(
      'user_balance_update',
      { u: user.username, user_id: String(user.id), balance: '100' },
      { hashOf: HASH },
    );
    expect(res.body).toBe(pageErrorXml('Access Denied'));
    expect(await balanceOf(user.id)).toBe('3.000000');
  });

  it('refuses GET while Allow GET API is off', async () => {
    const user = await createUser(api.handle);
    const res = await api.call(
      'user_balance_update',
      { u: 'admin', user_id: String(user.id), balance: '1' },
      { hashOf: HASH, verb: 'GET' },
    );
    expect(res.body).toBe(statusErrorXml('GET Requests are disabled'));
  });
});
