import { describe, expect, it } from 'vitest';
import { accGroups } from '../../src/db/schema/index.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const get = (u = 'admin', key?: string, prefix?: string) =>
  api.call('reseller_groups_get', { u }, { hashOf: ['u'], key, ...(prefix ? { prefix } : {}) }).then((r) => r.body);
const NOT_AUTHORIZED = pageErrorXml('You are not authorized to use this functionality');

describe('reseller_groups_get', () => {
  it('answers No Reseller Groups found while there is none (accountant groups do not count)', async () => {
    await createAccountant(api.handle, { users_manage: 1 });
    expect(await get()).toBe(pageErrorXml('No Reseller Groups found'));
  });

  it('lists every reseller group by id with its description, names unchanged, under /api too', async () => {
    const [a] = await api.handle.db
      .insert(accGroups)
      .values({ name: 'test_2', groupType: 'reseller', description: 'some <text> & more', rights: { sms_addon: 1 } })
      .returning();
    const [b] = await api.handle.db.insert(accGroups).values({ name: ' test_1', groupType: 'reseller' }).returning();
    const expected = [
      XML_DECL,
      '<page>',
      '  <reseller_groups>',
      '    <reseller_group>',
      `      <id>${a!.id}</id>`,
      '      <name>test_2</name>',
      '      <description>some &lt;text&gt; &amp; more</description>',
      '    </reseller_group>',
      '    <reseller_group>',
      `      <id>${b!.id}</id>`,
      '      <name> test_1</name>',
      '      <description></description>',
      '    </reseller_group>',
      '  </reseller_groups>',
      '</page>',
      '',
    ].join('\n');
    expect(await get()).toBe(expected);
    expect(await get('admin', undefined, '/api')).toBe(expected);
  });

  it('hashes u then the key (documented rule: sha1("adminsecret") = 69590c50…)', async () => {
    const res = await api.call(
      'reseller_groups_get',
      { u: 'admin', hash: '69590c5075137e4e42658c15f8f73d982e76b056' },
      { hash: null },
    );
    expect(res.body).toContain('<reseller_groups>');
    expect(await get('admin', 'wrong-key')).toBe(statusErrorXml('Incorrect hash'));
    const keyOnly = await api.call('reseller_groups_get', { u: 'admin' }, { hashOf: [] });
    expect(keyOnly.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('refuses every caller but the admin; unknown or missing u is Access Denied', async () => {
    const reseller = await createReseller(api.handle, 'res-key');
    const user = await createUser(api.handle, { ownerId: reseller.id });
    const plain = await createUser(api.handle);
    const accountant = await createAccountant(api.handle, { users_manage: 2 });
    const partner = await createUser(api.handle, { usertype: 'partner' });
    api.changed();
    expect(await get(reseller.username, 'res-key')).toBe(NOT_AUTHORIZED);
    expect(await get(user.username, 'res-key')).toBe(NOT_AUTHORIZED);
    expect(await get(plain.username)).toBe(NOT_AUTHORIZED);
    expect(await get(accountant.username)).toBe(NOT_AUTHORIZED);
    expect(await get(partner.username)).toBe(NOT_AUTHORIZED);
    expect(await get('nobody_here')).toBe(statusErrorXml('Access Denied'));
    expect((await api.call('reseller_groups_get', {}, { hashOf: [] })).body).toBe(statusErrorXml('Access Denied'));
  });

  it('GET and API switches', async () => {
    expect((await api.call('reseller_groups_get', { u: 'admin' }, { verb: 'GET', hashOf: ['u'] })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await get()).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
  });
});
