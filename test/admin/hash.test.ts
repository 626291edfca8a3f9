import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../../src/domain/crypto.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const SPEC_KEY = 'Very Sercet Key';

describe('MOR hash construction (spec examples)', () => {
  it('reproduces the documented digests', async () => {
    expect(await sha1Hex(`1231252454580answered${SPEC_KEY}`)).toBe('b93c35d5c6183288322122561a3da7e09abb63b7');
    expect(await sha1Hex('581asdfghjkl')).toBe('b3b8a6f4063a0569212c91098627a9c394283bd6');
  });
});

describe('hash.generate', () => {
  it('concatenates the values in documented order, appends the key, and masks the key', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    await admin.settings.update({ apiSecretKey: SPEC_KEY, allowBalanceOverHttp: true });
    const user = await createUser(api.handle, { balance: '7' });
    // Sent in another order than documented: the registry's order wins; `u` is not hashed.
    const result = await admin.hash.generate({
      method: 'user_balance_get',
      params: { currency: 'USD', u: 'admin', username: user.username },
    });
    expect(result).toEqual({
      method: 'user_balance_get',
      order: ['username', 'currency', 'secret_key'],
      hashedString: `${user.username}USD${'*'.repeat(SPEC_KEY.length)}`,
      hash: await sha1Hex(`${user.username}USD${SPEC_KEY}`),
    });
    expect(JSON.stringify(result)).not.toContain(SPEC_KEY);

    // The generated hash is the one the XML API accepts.
    const res = await api.call(
      'user_balance_get',
      { u: 'admin', username: user.username, currency: 'USD' },
      {
        hash: result.hash,
      },
    );
    expect(res.body).toBe(`${XML_DECL}\n<page>\n  <balance>7.0000</balance>\n</page>\n`);
  });

  it('skips absent optional parameters, resolves old aliases and refuses unknown methods', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const result = await admin.hash.generate({ method: 'balance', params: { username: 'john' } });
    expect(result).toMatchObject({ method: 'user_balance_get', hashedString: `john${'*'.repeat(SPEC_KEY.length)}` });
    expect(result.hash).toBe(await sha1Hex(`john${SPEC_KEY}`));
    const keyOnly = await admin.hash.generate({ method: 'system_version_get' });
    expect(keyOnly).toMatchObject({ order: ['secret_key'], hash: await sha1Hex(SPEC_KEY) });
    expect(await trpcError(() => admin.hash.generate({ method: 'no_such_method' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Unknown method no_such_method',
    });
  });

  it("uses a reseller's own key, and never hands a reseller a hash of the admin's key", async () => {
    const reseller = await createReseller(api.handle, 'reseller-hash-key');
    const caller = await callerAs(api, reseller.username);
    const result = await caller.hash.generate({ method: 'system_version_get' });
    expect(result.hash).toBe(await sha1Hex('reseller-hash-key'));
    expect(result.hashedString).toBe('*'.repeat('reseller-hash-key'.length));
    const res = await api.call('system_version_get', { u: reseller.username }, { hash: result.hash });
    expect(res.body).toMatch(/<version>/);
    expect(await trpcError(() => caller.hash.generate({ method: 'conflines_update' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const admin = await callerAs(api, TEST.adminUsername);
    expect((await admin.hash.generate({ method: 'conflines_update' })).hash).toBe(await sha1Hex(SPEC_KEY));
  });

  it('refuses accountants, who sign with a key they may not read', async () => {
    const accountant = await createAccountant(api.handle, { users_manage: 2 });
    const caller = await callerAs(api, accountant.username);
    expect((await trpcError(() => caller.hash.generate({ method: 'system_version_get' }))).code).toBe('FORBIDDEN');
  });
});
