import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions, addresses, directions, tariffs, taxes, users } from '../../src/db/schema/index.ts';
import { verifyPassword } from '../../src/domain/crypto.ts';
import { USER_DETAILS_UPDATE_HASH } from '../../src/domain/users/detailsParams.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const UPDATED = `${XML_DECL}\n<page>\n  <status>User was updated</status>\n</page>\n`;

/** Hash order of the sent parameters: user_id, then the documented list. */
const orderOf = (params: Record<string, string>) => USER_DETAILS_UPDATE_HASH.filter((name) => name in params);
const update = (u: string, params: Record<string, string>, key?: string) =>
  api.call('user_details_update', { u, ...params }, { hashOf: orderOf(params), key });
const row = async (id: number) => (await api.handle.db.select().from(users).where(eq(users.id, id)))[0]!;
const addressOf = async (id: number) => {
  const user = await row(id);
  return user.addressId
    ? (await api.handle.db.select().from(addresses).where(eq(addresses.id, user.addressId)))[0]
    : undefined;
};
let seq = 0;
const tariff = async (ownerId: number, purpose: 'user' | 'user_wholesale' | 'provider' = 'user_wholesale') =>
  (
    await api.handle.db
      .insert(tariffs)
      .values({ name: `t${++seq}`, ownerId, purpose })
      .returning()
  )[0]!;

describe('user_details_update', () => {
  it('changes only the sent fields and answers User was updated', async () => {
    const user = await createUser(api.handle, { balance: '5' });
    const [lt] = await api.handle.db.insert(directions).values({ name: 'Lithuania', code: 'LT1' }).returning();
    const params = {
      user_id: String(user.id),
      u14: String(lt!.id),
      u17: 'Smith',
      u18: '3',
      u23: 'John',
      u25: '1',
      u33: 'VIP',
      ay: '2020',
      am: '2',
      ad: '29',
      i1: '2',
      i4: '16',
      tax1_value: '21',
      credit: '-1',
      a1: 'Vilnius',
      a9: 'john@example.com',
    };
    expect((await update('admin', params)).body).toBe(UPDATED);
    const after = await row(user.id);
    expect(after).toMatchObject({
      callLimit: 3,
      postpaid: true,
      comment: 'VIP',
      agreementDate: '2020-02-29',
      sendInvoiceTypes: 18,
      credit: '-1.000000',
      taxationCountry: lt!.id,
      balance: '5.000000',
      language: 'en',
      username: user.username,
    });
    expect(await addressOf(user.id)).toMatchObject({
      firstName: 'John',
      lastName: 'Smith',
      city: 'Vilnius',
      email: 'john@example.com',
    });
    const [tax] = await api.handle.db.select().from(taxes).where(eq(taxes.id, after.taxId!));
    expect(tax!.tax1Value).toBe('21.0000');
    // i2 alone turns CSV on and keeps PDF and detailed CSV.
    expect((await update('admin', { user_id: String(user.id), i2: '4', i1: '0' })).body).toBe(UPDATED);
    expect((await row(user.id)).sendInvoiceTypes).toBe(20);
  });

  it('writes one action-log row per changed field, old and new value', async () => {
    const user = await createUser(api.handle);
    await update('admin', { user_id: String(user.id), u18: '7', u33: 'note' });
    const rows = await api.handle.db.select().from(actions).where(eq(actions.targetId, user.id));
    const logged = rows.filter((r) => r.action === 'user_updated').map((r) => [r.data, r.data2]);
    expect(logged).toEqual(
      expect.arrayContaining([
        ['callLimit=0', 'callLimit=7'],
        ['comment=', 'comment=note'],
      ]),
    );
    expect(logged.filter(([data]) => !data!.startsWith('updatedAt'))).toHaveLength(2);
  });

  it('sets the password as a PBKDF2 hash with its weak flag, never echoing it', async () => {
    const user = await createUser(api.handle);
    const res = await update('admin', { user_id: String(user.id), pswd: 'Str0ngPassw0rd' });
    expect(res.body).toBe(UPDATED);
    const after = await row(user.id);
    expect(after.password).toMatch(/^pbkdf2-sha256\$/);
    expect(await verifyPassword('Str0ngPassw0rd', after.password)).toBe(true);
    expect(after.passwordWeak).toBe(false);
    await update('admin', { user_id: String(user.id), pswd: 'short' });
    expect((await row(user.id)).passwordWeak).toBe(true);
    const log = await api.handle.db.select().from(actions).where(eq(actions.targetId, user.id));
    expect(log.some((r) => `${r.data}${r.data2}`.includes('short'))).toBe(false);
  });

  it('renames and blocks at once for the next request (auth cache dropped)', async () => {
    const user = await createUser(api.handle);
    const details = (u: string) =>
      api.call('user_details_get', { u, user_id: String(user.id) }, { hashOf: ['user_id'] });
    expect((await details(user.username)).body).toContain('<pagename>');
    const renamed = `${user.username}_new`;
    expect((await update('admin', { user_id: String(user.id), u9: renamed })).body).toBe(UPDATED);
    expect((await details(user.username)).body).toBe(statusErrorXml('Access Denied'));
    expect((await details(renamed)).body).toContain(`<username>${renamed}</username>`);
    expect((await update('admin', { user_id: String(user.id), u15: '1' })).body).toBe(UPDATED);
    expect((await details(renamed)).body).toBe(statusErrorXml('Access Denied'));
  });

  it('hashes user_id then every sent parameter in the documented order (example string 581asdfghjkl)', async () => {
    expect(await api.hash({ user_id: '581' }, ['user_id'], 'asdfghjkl')).toBe(
      'b3b8a6f4063a0569212c91098627a9c394283bd6',
    );
    const user = await createUser(api.handle);
    const params = { u: 'admin', user_id: String(user.id), a0: 'Street', u33: 'c', u0: 'V' };
    expect((await api.call('user_details_update', params, { hashOf: ['user_id', 'u0', 'u33', 'a0'] })).body).toBe(
      UPDATED,
    );
    expect((await api.call('user_details_update', params, { hashOf: ['user_id', 'a0', 'u33', 'u0'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('is served under the old name user_update_api', async () => {
    const user = await createUser(api.handle);
    const params = { u: 'admin', user_id: String(user.id), u8: 'lt' };
    expect((await api.call('user_update_api', params, { hashOf: ['user_id', 'u8'], prefix: '/api' })).body).toBe(
      UPDATED,
    );
    expect((await row(user.id)).language).toBe('lt');
  });

  it('answers the user_id errors, Access Denied and User was not found', async () => {
    expect((await update('admin', {})).body).toBe(pageErrorXml('User id must be present'));
    for (const user_id of ['abc', '-1', '1.5']) {
      expect((await update('admin', { user_id })).body).toBe(pageErrorXml('User id must be non negative integer'));
    }
    expect((await update('admin', { user_id: '999999' })).body).toBe(pageErrorXml('User was not found'));
    expect((await update('nobody', { user_id: '1' })).body).toBe(statusErrorXml('Access Denied'));
  });

  it('answers User was not updated for invalid values and changes nothing', async () => {
    const user = await createUser(api.handle);
    const taken = await createUser(api.handle);
    const bad: Record<string, string>[] = [
      { u17: 'Changed', u18: 'lots' },
      { u17: 'Changed', u25: 'yes' },
      { u17: 'Changed', u9: taken.username },
      { u17: 'Changed', ay: '2021', am: '2', ad: '30' },
      { u17: 'Changed', u4: '999' },
      { u17: 'Changed', u14: '999999' },
      { u17: 'Changed', u22: 'not-an-email' },
      { u17: 'Changed', u13: 'admin' },
      { u17: 'Changed', u11: '999' },
      { u17: 'Changed', i1: '4' },
      { u17: 'Changed', credit: '-5' },
      { u17: 'Changed', u2: '24' },
    ];
    for (const params of bad) {
      expect((await update('admin', { user_id: String(user.id), ...params })).body).toBe(
        pageErrorXml('User was not updated'),
      );
    }
    expect(await addressOf(user.id)).toBeUndefined();
    expect((await row(user.id)).username).toBe(user.username);
  });

  it('refuses a taken e-mail and the admin losing its type', async () => {
    const a = await createUser(api.handle);
    const b = await createUser(api.handle);
    expect((await update('admin', { user_id: String(a.id), a9: 'Same@Example.com' })).body).toBe(UPDATED);
    expect((await update('admin', { user_id: String(b.id), a9: 'same@example.com' })).body).toBe(
      pageErrorXml('User was not updated'),
    );
    expect((await update('admin', { user_id: '0', u13: 'user' })).body).toBe(pageErrorXml('User was not updated'));
  });

  it('checks the tariff: the realm’s own, or the admin’s for resellers only when allowed', async () => {
    const reseller = await createReseller(api.handle, 'tariff-key-1');
    const user = await createUser(api.handle, { ownerId: reseller.id });
    const own = await tariff(reseller.id);
    const admins = await tariff(0, 'user');
    const provider = await tariff(0, 'provider');
    const as = (u5: number) => update(reseller.username, { user_id: String(user.id), u5: String(u5) }, 'tariff-key-1');
    expect((await as(own.id)).body).toBe(UPDATED);
    expect((await as(admins.id)).body).toBe(pageErrorXml('Tariff not found'));
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    expect((await as(admins.id)).body).toBe(UPDATED);
    expect((await row(user.id)).tariffId).toBe(admins.id);
    expect((await as(provider.id)).body).toBe(pageErrorXml('Tariff not found'));
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '0' });
    const adminsUser = await createUser(api.handle);
    expect((await update('admin', { user_id: String(adminsUser.id), u5: String(own.id) })).body).toBe(
      pageErrorXml('Tariff not found'),
    );
    expect((await update('admin', { user_id: String(adminsUser.id), u5: String(admins.id) })).body).toBe(UPDATED);
  });

  it('sets or unassigns (-1) the responsible accountant, which must be an accountant', async () => {
    const user = await createUser(api.handle);
    const accountant = await createAccountant(api.handle);
    const id = String(user.id);
    expect((await update('admin', { user_id: id, u31: String(accountant.id) })).body).toBe(UPDATED);
    expect((await row(user.id)).responsibleAccountantId).toBe(accountant.id);
    expect((await update('admin', { user_id: id, u31: '-1' })).body).toBe(UPDATED);
    expect((await row(user.id)).responsibleAccountantId).toBeNull();
    expect((await update('admin', { user_id: id, u31: String(user.id) })).body).toBe(
      pageErrorXml('Responsible accountant is not valid'),
    );
  });

  it("lets a reseller edit its own users only, never itself, another reseller's users or admin fields", async () => {
    const r1 = await createReseller(api.handle, 'r1-upd-key');
    const r2 = await createReseller(api.handle, 'r2-upd-key');
    const mine = await createUser(api.handle, { ownerId: r1.id });
    const theirs = await createUser(api.handle, { ownerId: r2.id });
    const adminsUser = await createUser(api.handle);
    const as = (params: Record<string, string>) => update(r1.username, params, 'r1-upd-key');
    expect((await as({ user_id: String(mine.id), u33: 'ok' })).body).toBe(UPDATED);
    for (const id of [theirs.id, adminsUser.id, r2.id, 0]) {
      expect((await as({ user_id: String(id), u33: 'x' })).body).toBe(pageErrorXml('User was not found'));
    }
    expect((await as({ user_id: String(r1.id), u33: 'x' })).body).toBe(pageErrorXml('You have no editing permission'));
    for (const [field, value] of [
      ['u11', '1'],
      ['u13', 'user'],
      ['u31', '-1'],
      ['own_providers', '1'],
    ]) {
      expect((await as({ user_id: String(mine.id), [field!]: value! })).body).toBe(
        pageErrorXml('You have no editing permission'),
      );
    }
    expect((await row(theirs.id)).comment).toBe('');
  });

  it("lets an accountant edit admin's users with Manage users write only", async () => {
    const writer = await createAccountant(api.handle, { users_manage: 2 });
    const reader = await createAccountant(api.handle, { users_manage: 1 });
    const reseller = await createReseller(api.handle);
    const adminsUser = await createUser(api.handle);
    const resellersUser = await createUser(api.handle, { ownerId: reseller.id });
    expect((await update(writer.username, { user_id: String(adminsUser.id), u33: 'acc' })).body).toBe(UPDATED);
    expect((await update(writer.username, { user_id: String(resellersUser.id), u33: 'acc' })).body).toBe(
      pageErrorXml('User was not found'),
    );
    expect((await update(reader.username, { user_id: String(adminsUser.id), u33: 'r' })).body).toBe(
      pageErrorXml('You have no editing permission'),
    );
    expect((await update(writer.username, { user_id: String(adminsUser.id), u13: 'reseller' })).body).toBe(
      pageErrorXml('You have no editing permission'),
    );
  });

  it('refuses simple users: itself is not editable, others are not found', async () => {
    const me = await createUser(api.handle);
    const other = await createUser(api.handle);
    expect((await update(me.username, { user_id: String(me.id), u33: 'x' })).body).toBe(
      pageErrorXml('You have no editing permission'),
    );
    expect((await update(me.username, { user_id: String(me.id), u18: 'bad' })).body).toBe(
      pageErrorXml('You have no editing permission'),
    );
    expect((await update(me.username, { user_id: String(other.id), u33: 'x' })).body).toBe(
      pageErrorXml('User was not found'),
    );
  });

  it('lets the admin turn a user into a reseller of a reseller group', async () => {
    const user = await createUser(api.handle);
    const res = await api.call('reseller_group_create', { u: 'admin', name: `Group ${user.id}` }, { hashOf: ['name'] });
    expect(res.body).toContain('successfully created');
    const group = await api.handle.db.query.accGroups.findFirst({
      where: (g, { eq }) => eq(g.name, `Group ${user.id}`),
    });
    expect((await update('admin', { user_id: String(user.id), u11: String(group!.id), u13: 'reseller' })).body).toBe(
      UPDATED,
    );
    expect(await row(user.id)).toMatchObject({ usertype: 'reseller', accGroupId: group!.id });
    const owned = await createUser(api.handle, { ownerId: user.id });
    expect((await update('admin', { user_id: String(owned.id), u13: 'reseller' })).body).toBe(
      pageErrorXml('User was not updated'),
    );
    expect((await update('admin', { user_id: String(user.id), u13: 'user' })).body).toBe(
      pageErrorXml('User was not updated'),
    );
  });
});
