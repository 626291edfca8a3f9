import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accGroups, users } from '../../src/db/schema/index.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser, getConfline, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => callerAs(api, TEST.adminUsername);
let seq = 0;
const unique = (prefix: string) => `${prefix}_${++seq}_${Date.now().toString(36)}`;

describe('resellerGroups.*', () => {
  it('creates, reads, renames, merges rights and deletes a reseller group', async () => {
    const asAdmin = await admin();
    const name = unique('Gold');
    const group = await asAdmin.resellerGroups.create({
      name,
      description: 'd',
      rights: { call_shop: 1, sms_addon: 1 },
    });
    expect(group).toEqual({
      id: group.id,
      name,
      groupType: 'reseller',
      description: 'd',
      rights: { calling_cards: 0, call_shop: 1, sms_addon: 1, payment_gateways: 0, autodialer: 0, pbx_functions: 0 },
    });
    expect(await asAdmin.resellerGroups.get({ id: group.id })).toEqual(group);
    expect((await asAdmin.resellerGroups.list()).map((g) => g.id)).toContain(group.id);
    const updated = await asAdmin.resellerGroups.update({
      id: group.id,
      name: `${name}+`,
      rights: { call_shop: 0, autodialer: 1 },
    });
    expect(updated.rights).toMatchObject({ call_shop: 0, sms_addon: 1, autodialer: 1 });
    expect(updated.name).toBe(`${name}+`);
    await asAdmin.resellerGroups.delete({ id: group.id });
    expect((await trpcError(() => asAdmin.resellerGroups.get({ id: group.id }))).code).toBe('NOT_FOUND');
  });

  it('refuses blank and duplicate names (without case), and deleting a group in use', async () => {
    const asAdmin = await admin();
    const name = unique('Dup');
    const group = await asAdmin.resellerGroups.create({ name });
    expect(await trpcError(() => asAdmin.resellerGroups.create({ name: ' ' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Reseller Group Name must be specified',
    });
    expect(await trpcError(() => asAdmin.resellerGroups.create({ name: name.toUpperCase() }))).toMatchObject({
      code: 'CONFLICT',
      message: 'Group name must be unique',
    });
    await createReseller(api.handle, 'k-dup-123456', { accGroupId: group.id });
    expect((await trpcError(() => asAdmin.resellerGroups.delete({ id: group.id }))).code).toBe('CONFLICT');
    // An accountant group id is not a reseller group.
    const accGroup = await asAdmin.accountantGroups.create({ name: unique('acc') });
    expect((await trpcError(() => asAdmin.resellerGroups.get({ id: accGroup.id }))).code).toBe('NOT_FOUND');
  });

  it('is the admin’s only', async () => {
    const reseller = await createReseller(api.handle);
    const accountant = await createAccountant(api.handle, { users_manage: 2, users_create: 2 });
    for (const username of [reseller.username, accountant.username]) {
      const caller = await callerAs(api, username);
      expect((await trpcError(() => caller.resellerGroups.list())).code).toBe('FORBIDDEN');
      expect((await trpcError(() => caller.resellerGroups.create({ name: unique('x') }))).code).toBe('FORBIDDEN');
      expect((await trpcError(() => caller.accountantGroups.list())).code).toBe('FORBIDDEN');
    }
  });
});

describe('accountantGroups.*', () => {
  it('changes rights that take effect on the next XML request', async () => {
    const asAdmin = await admin();
    const group = await asAdmin.accountantGroups.create({ name: unique('Acc'), rights: { users_manage: 0 } });
    expect(group.rights).toMatchObject({ users_manage: 0, see_financial_data: 0 });
    const accountant = await createAccountant(api.handle);
    await api.handle.db.update(users).set({ accGroupId: group.id }).where(eq(users.id, accountant.id));
    api.changed();
    const target = await createUser(api.handle);
    const details = () =>
      api.call('user_details_get', { u: accountant.username, user_id: String(target.id) }, { hashOf: ['user_id'] });
    expect((await details()).body).toBe(pageErrorXml('You are not authorized to view this page'));
    await asAdmin.accountantGroups.update({ id: group.id, rights: { users_manage: 1 } });
    expect((await details()).body).toContain(`<userid>${target.id}</userid>`);
    expect((await asAdmin.accountantGroups.list()).find((g) => g.id === group.id)?.rights.users_manage).toBe(1);
    expect((await trpcError(() => asAdmin.accountantGroups.delete({ id: group.id }))).code).toBe('CONFLICT');
  });
});

describe('resellers.create', () => {
  it('creates a reseller in a new group with its own Default User copied from the admin’s', async () => {
    await setConflines(api.handle, 0, { default_user_credit: '15', default_user_tariff_id: '1' });
    const username = unique('res');
    const { reseller, group } = await (await admin()).resellers.create({
      username,
      password: 'Password1',
      group: { name: unique('RG'), rights: { calling_cards: 1 } },
    });
    expect(reseller).toMatchObject({ username, usertype: 'reseller', ownerId: 0 });
    expect(group.rights.calling_cards).toBe(1);
    const [row] = await api.handle.db.select().from(users).where(eq(users.id, reseller.id));
    expect(row!.accGroupId).toBe(group.id);
    expect(await getConfline(api.handle, reseller.id, 'default_user_credit')).toBe('15');
    expect(await getConfline(api.handle, reseller.id, 'default_device_nat')).toBe('yes');
    expect(await getConfline(api.handle, reseller.id, 'default_user_tariff_id')).toBeUndefined();
    await setConflines(api.handle, 0, { default_user_credit: '0' });
  });

  it('joins an existing reseller group; refuses an accountant group and non-admins', async () => {
    const asAdmin = await admin();
    const existing = await asAdmin.resellerGroups.create({ name: unique('Existing') });
    const { reseller } = await asAdmin.resellers.create({
      username: unique('res'),
      password: 'Password1',
      groupId: existing.id,
    });
    const [row] = await api.handle.db.select().from(users).where(eq(users.id, reseller.id));
    expect(row!.accGroupId).toBe(existing.id);
    const accGroup = await asAdmin.accountantGroups.create({ name: unique('AG') });
    const wrong = await trpcError(() =>
      asAdmin.resellers.create({ username: unique('r'), password: 'p', groupId: accGroup.id }),
    );
    expect(wrong.code).toBe('NOT_FOUND');
    const other = await createReseller(api.handle);
    const asReseller = await callerAs(api, other.username);
    expect(
      (
        await trpcError(() =>
          asReseller.resellers.create({ username: unique('r'), password: 'p', groupId: existing.id }),
        )
      ).code,
    ).toBe('FORBIDDEN');
  });
});

describe('accountants.create', () => {
  it('creates an accountant whose group rights apply to the XML API', async () => {
    const asAdmin = await admin();
    const username = unique('acc');
    const { accountant, group } = await asAdmin.accountants.create({
      username,
      password: 'Password1',
      group: { name: unique('Readers'), rights: { users_manage: 1 } },
    });
    expect(accountant).toMatchObject({ username, usertype: 'accountant', ownerId: 0 });
    const [stored] = await api.handle.db.select().from(accGroups).where(eq(accGroups.id, group.id));
    expect(stored!.groupType).toBe('accountant');
    const target = await createUser(api.handle);
    const res = await api.call(
      'user_details_get',
      { u: username, user_id: String(target.id) },
      { hashOf: ['user_id'] },
    );
    expect(res.body).toContain(`<username>${target.username}</username>`);
    const user = await createUser(api.handle);
    const asUser = await callerAs(api, user.username);
    expect(
      (await trpcError(() => asUser.accountants.create({ username: unique('a'), password: 'p', groupId: group.id })))
        .code,
    ).toBe('FORBIDDEN');
  });
});
