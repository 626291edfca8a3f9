import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tariffs, users } from '../../src/db/schema/index.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createTariff, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const get = (u = 'admin', key?: string, prefix?: string) =>
  api.call('tariffs_get', { u }, { hashOf: ['u'], key, ...(prefix ? { prefix } : {}) }).then((r) => r.body);
const NOT_AUTHORIZED = pageErrorXml('You are not authorized to use this functionality');

interface T {
  id: number;
  name: string;
  purpose: string;
  currency: string;
  date: string;
}
const listXml = (rows: T[]) =>
  [
    XML_DECL,
    '<page>',
    '  <tariffs>',
    ...rows.flatMap((t) => [
      '    <tariff>',
      `      <id>${t.id}</id>`,
      `      <name>${t.name}</name>`,
      `      <purpose>${t.purpose}</purpose>`,
      `      <currency>${t.currency}</currency>`,
      `      <last_update_date>${t.date}</last_update_date>`,
      '    </tariff>',
    ]),
    '  </tariffs>',
    '</page>',
    '',
  ].join('\n');

let reseller: Awaited<ReturnType<typeof createUser>>;
let other: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  reseller = await createReseller(api.handle, 'res-key');
  other = await createReseller(api.handle, 'other-key');
  await api.handle.db.update(users).set({ timeZone: 'Vilnius' }).where(eq(users.id, 0));
  api.changed();
});

const at = async (id: number, iso: string) =>
  api.handle.db.update(tariffs).set({ lastUpdateDate: iso }).where(eq(tariffs.id, id));

describe('tariffs_get', () => {
  it('answers No Tariffs found while the realm has none', async () => {
    expect(await get()).toBe(pageErrorXml('No Tariffs found'));
    expect(await get(reseller.username, 'res-key')).toBe(pageErrorXml('No Tariffs found'));
  });

  it("lists the realm's tariffs of every purpose by id, dates in the system zone with the offset", async () => {
    const provider = await createTariff(api.handle, { name: 'Test Tariff', purpose: 'provider' });
    const retail = await createTariff(api.handle, { name: 'Retail & <co>', purpose: 'user', currency: 'AAA' });
    const wholesale = await createTariff(api.handle, { name: 'test_1', purpose: 'user_wholesale', currency: 'EUR' });
    await at(provider.id, '2022-06-13T11:50:06Z');
    await at(retail.id, '2022-01-10T10:00:00Z');
    await at(wholesale.id, '2022-12-31T23:30:00Z');
    const own = await createTariff(api.handle, { name: 'Reseller one', purpose: 'user', ownerId: reseller.id });
    await at(own.id, '2022-06-13T11:50:06Z');
    await createTariff(api.handle, { name: 'Other one', purpose: 'user', ownerId: other.id });
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    const admins = listXml([
      { id: provider.id, name: 'Test Tariff', purpose: 'provider', currency: 'USD', date: '2022-06-13 14:50:06 +0300' },
      {
        id: retail.id,
        name: 'Retail &amp; &lt;co&gt;',
        purpose: 'user',
        currency: 'AAA',
        date: '2022-01-10 12:00:00 +0200',
      },
      {
        id: wholesale.id,
        name: 'test_1',
        purpose: 'user_wholesale',
        currency: 'EUR',
        date: '2023-01-01 01:30:00 +0200',
      },
    ]);
    expect(await get()).toBe(admins);
    expect(await get('admin', undefined, '/api')).toBe(admins);
    // A reseller sees its own only, even with "Allow Resellers to use Admin Tariffs" on.
    expect(await get(reseller.username, 'res-key')).toBe(
      listXml([
        { id: own.id, name: 'Reseller one', purpose: 'user', currency: 'USD', date: '2022-06-13 14:50:06 +0300' },
      ]),
    );
    const accountant = await createAccountant(api.handle, { tariffs_manage: 1 });
    const writer = await createAccountant(api.handle, { tariffs_manage: 2 });
    api.changed();
    expect(await get(accountant.username)).toBe(admins);
    expect(await get(writer.username)).toBe(admins);
  });

  it('hashes u then the key (sha1("adminsecret") = 69590c50…)', async () => {
    const res = await api.call(
      'tariffs_get',
      { u: 'admin', hash: '69590c5075137e4e42658c15f8f73d982e76b056' },
      { hash: null },
    );
    expect(res.body).toContain('<tariffs>');
    expect(await get('admin', 'wrong-key')).toBe(statusErrorXml('Incorrect hash'));
    expect((await api.call('tariffs_get', { u: 'admin' }, { hashOf: [] })).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('refuses simple users, partners and accountants without the Tariffs right; unknown u is Access Denied', async () => {
    const user = await createUser(api.handle, { ownerId: reseller.id });
    const plain = await createUser(api.handle);
    const partner = await createUser(api.handle, { usertype: 'partner' });
    const blind = await createAccountant(api.handle, { users_manage: 2 });
    api.changed();
    expect(await get(user.username, 'res-key')).toBe(NOT_AUTHORIZED);
    expect(await get(plain.username)).toBe(NOT_AUTHORIZED);
    expect(await get(partner.username)).toBe(NOT_AUTHORIZED);
    expect(await get(blind.username)).toBe(NOT_AUTHORIZED);
    expect(await get('nobody_here')).toBe(pageErrorXml('Access Denied'));
    expect((await api.call('tariffs_get', {}, { hashOf: [] })).body).toBe(pageErrorXml('Access Denied'));
  });

  it('GET and API switches', async () => {
    expect((await api.call('tariffs_get', { u: 'admin' }, { verb: 'GET', hashOf: ['u'] })).body).toBe(
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
