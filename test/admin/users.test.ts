import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions, devices, tariffs, users } from '../../src/db/schema/index.ts';
import { verifyPassword } from '../../src/domain/crypto.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createDevice, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => callerAs(api, TEST.adminUsername);
const row = async (id: number) => (await api.handle.db.select().from(users).where(eq(users.id, id)))[0];
let seq = 0;
const unique = (prefix: string) => `${prefix}_${++seq}_${Date.now().toString(36)}`;

describe('users.create', () => {
  it("creates a user from the owner's Default User with the given fields; weak passwords are flagged", async () => {
    await setConflines(api.handle, 0, { default_user_balance: '2.5', default_user_call_limit: '4' });
    const username = unique('created');
    const created = await (await admin()).users.create({
      username,
      password: 'abc',
      address: { firstName: 'Eva', email: `${username}@example.com` },
      comment: 'from tRPC',
    });
    expect(created).toMatchObject({ username, usertype: 'user', ownerId: 0 });
    expect(created.uniquehash).toMatch(/^[a-z0-9]{10}$/);
    const user = await row(created.id);
    expect(user).toMatchObject({ balance: '2.500000', callLimit: 4, comment: 'from tRPC', passwordWeak: true });
    expect(await verifyPassword('abc', user!.password)).toBe(true);
    const strong = await (await admin()).users.create({ username: unique('strong'), password: 'Long-enough-1' });
    expect((await row(strong.id))!.passwordWeak).toBe(false);
    const sameAsName = unique('samename');
    const same = await (await admin()).users.create({ username: sameAsName, password: sameAsName.toUpperCase() });
    expect((await row(same.id))!.passwordWeak).toBe(true);
    await setConflines(api.handle, 0, { default_user_balance: '0', default_user_call_limit: '0' });
  });

  it('takes the Default User tariff and LCR; one deleted since the setting was written is left empty', async () => {
    const [tariff] = await api.handle.db
      .insert(tariffs)
      .values({ name: unique('dflt'), purpose: 'user' })
      .returning();
    await setConflines(api.handle, 0, { default_user_tariff_id: String(tariff!.id), default_user_lcr_id: '999999' });
    const kept = await (await admin()).users.create({ username: unique('dflt'), password: 'Long-enough-1' });
    expect(await row(kept.id)).toMatchObject({ tariffId: tariff!.id, lcrId: null });
    // Written straight to the table, as a setting naming a row deleted before deletes checked it.
    await setConflines(api.handle, 0, { default_user_tariff_id: '999998' });
    const gone = await (await admin()).users.create({ username: unique('dflt'), password: 'Long-enough-1' });
    expect(await row(gone.id)).toMatchObject({ tariffId: null, lcrId: null });
    await setConflines(api.handle, 0, { default_user_tariff_id: '', default_user_lcr_id: '' });
  });

  it('lets a reseller create only simple users of its own; accountants need Create users (write)', async () => {
    const reseller = await createReseller(api.handle);
    const asReseller = await callerAs(api, reseller.username);
    const mine = await asReseller.users.create({ username: unique('rs'), password: 'Password1' });
    expect(mine.ownerId).toBe(reseller.id);
    expect(
      (await trpcError(() => asReseller.users.create({ username: unique('x'), password: 'p', usertype: 'reseller' })))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await trpcError(() => asReseller.users.create({ username: unique('x'), password: 'p', ownerId: 0 }))).code,
    ).toBe('FORBIDDEN');
    const creator = await createAccountant(api.handle, { users_create: 2 });
    const viewer = await createAccountant(api.handle, { users_create: 1 });
    const made = await (await callerAs(api, creator.username)).users.create({
      username: unique('acc'),
      password: 'Password1',
    });
    expect(made.ownerId).toBe(0);
    const asViewer = await callerAs(api, viewer.username);
    expect((await trpcError(() => asViewer.users.create({ username: unique('x'), password: 'p' }))).code).toBe(
      'FORBIDDEN',
    );
    const user = await createUser(api.handle);
    const asUser = await callerAs(api, user.username);
    expect((await trpcError(() => asUser.users.create({ username: unique('x'), password: 'p' }))).code).toBe(
      'FORBIDDEN',
    );
  });

  it("lets the admin create a reseller's user; refuses taken usernames and non-reseller owners", async () => {
    const reseller = await createReseller(api.handle);
    const made = await (await admin()).users.create({
      username: unique('forres'),
      password: 'Password1',
      ownerId: reseller.id,
    });
    expect(made.ownerId).toBe(reseller.id);
    const plain = await createUser(api.handle);
    const asAdmin = await admin();
    expect(
      (await trpcError(() => asAdmin.users.create({ username: unique('x'), password: 'p', ownerId: plain.id }))).code,
    ).toBe('BAD_REQUEST');
    expect((await trpcError(() => asAdmin.users.create({ username: plain.username, password: 'p' }))).code).toBe(
      'CONFLICT',
    );
  });
});

describe('users.list', () => {
  it('filters by usertype, owner, search and blocked, pages with the total', async () => {
    const reseller = await createReseller(api.handle);
    const tag = unique('zeta');
    const a = await createUser(api.handle, { username: `${tag}_a`, ownerId: reseller.id });
    const b = await createUser(api.handle, { username: `${tag}_b`, ownerId: reseller.id, blocked: true });
    await createUser(api.handle, { username: `${tag}_c`, ownerId: reseller.id });
    const asAdmin = await admin();
    const byOwner = await asAdmin.users.list({ ownerId: reseller.id, limit: 2 });
    expect(byOwner.total).toBe(3);
    expect(byOwner.users.map((u) => u.id)).toEqual([a.id, b.id]);
    expect((await asAdmin.users.list({ ownerId: reseller.id, limit: 2, offset: 2 })).users).toHaveLength(1);
    expect((await asAdmin.users.list({ ownerId: reseller.id, offset: 10 })).total).toBe(3);
    const blocked = await asAdmin.users.list({ search: tag.toUpperCase(), blocked: true });
    expect(blocked.users.map((u) => u.username)).toEqual([b.username]);
    expect(blocked.users[0]).toMatchObject({ balance: '0.000000', usertype: 'user', ownerId: reseller.id });
    expect((await asAdmin.users.list({ usertype: 'reseller' })).users.every((u) => u.usertype === 'reseller')).toBe(
      true,
    );
    const all = await asAdmin.users.list({ limit: 500 });
    expect(all.users.some((u) => u.id === 0)).toBe(false);
    expect((await asAdmin.users.list({ search: '%' })).total).toBe(0);
  });

  it('searches names and e-mail too', async () => {
    const username = unique('mail');
    await (await admin()).users.create({
      username,
      password: 'Password1',
      address: { lastName: 'Quixotic', email: `${username}@Example.org` },
    });
    const asAdmin = await admin();
    expect((await asAdmin.users.list({ search: 'quixot' })).users.map((u) => u.username)).toEqual([username]);
    expect((await asAdmin.users.list({ search: `${username}@example.ORG` })).users[0]).toMatchObject({
      lastName: 'Quixotic',
      email: `${username}@Example.org`,
    });
  });

  it("shows a reseller its own users only; an accountant the admin's with Manage users; refuses users", async () => {
    const r1 = await createReseller(api.handle);
    const r2 = await createReseller(api.handle);
    const mine = await createUser(api.handle, { ownerId: r1.id });
    await createUser(api.handle, { ownerId: r2.id });
    const listed = await (await callerAs(api, r1.username)).users.list();
    expect(listed.users.map((u) => u.id)).toEqual([mine.id]);
    expect(listed.total).toBe(1);
    const reader = await createAccountant(api.handle, { users_manage: 1 });
    const seen = await (await callerAs(api, reader.username)).users.list({ limit: 500 });
    expect(seen.users.every((u) => u.ownerId === 0)).toBe(true);
    expect(seen.users.some((u) => u.id === r1.id)).toBe(true);
    const none = await createAccountant(api.handle);
    expect((await trpcError(async () => (await callerAs(api, none.username)).users.list())).code).toBe('FORBIDDEN');
    const user = await createUser(api.handle);
    expect((await trpcError(async () => (await callerAs(api, user.username)).users.list())).code).toBe('FORBIDDEN');
  });
});

describe('users.get', () => {
  it('shows the uniquehash of admins and resellers only, never a password', async () => {
    const reseller = await createReseller(api.handle);
    const user = await createUser(api.handle, { ownerId: reseller.id });
    const asAdmin = await admin();
    expect((await asAdmin.users.get({ id: reseller.id })).uniquehash).toBe(reseller.uniquehash);
    expect((await asAdmin.users.get({ id: 0 })).uniquehash).toMatch(/^[a-z0-9]{10}$/);
    const shown = await asAdmin.users.get({ id: user.id });
    expect(shown).toMatchObject({
      id: user.id,
      username: user.username,
      uniquehash: null,
      address: null,
      balance: '0.000000',
    });
    expect(JSON.stringify(shown)).not.toMatch(/password|pbkdf2/i);
  });

  it('answers NOT_FOUND across tenants and to users for others', async () => {
    const r1 = await createReseller(api.handle);
    const r2 = await createReseller(api.handle);
    const theirs = await createUser(api.handle, { ownerId: r2.id });
    const asR1 = await callerAs(api, r1.username);
    expect((await asR1.users.get({ id: r1.id })).uniquehash).toBe(r1.uniquehash);
    for (const userId of [theirs.id, r2.id, 0]) {
      expect((await trpcError(() => asR1.users.get({ id: userId }))).code).toBe('NOT_FOUND');
    }
    const user = await createUser(api.handle);
    const asUser = await callerAs(api, user.username);
    expect((await asUser.users.get({ id: user.id })).id).toBe(user.id);
    expect((await trpcError(() => asUser.users.get({ id: theirs.id }))).code).toBe('NOT_FOUND');
  });
});

describe('users.update and users.block', () => {
  it('changes only the sent fields; admin tariffs need the reseller setting', async () => {
    const reseller = await createReseller(api.handle);
    const user = await createUser(api.handle, { ownerId: reseller.id, balance: '3' });
    const [adminTariff] = await api.handle.db
      .insert(tariffs)
      .values({ name: unique('t'), ownerId: 0 })
      .returning();
    const asReseller = await callerAs(api, reseller.username);
    const result = await asReseller.users.update({ id: user.id, callLimit: 2, address: { city: 'Kaunas' } });
    expect(result.changed).toEqual(expect.arrayContaining(['callLimit', 'address.city']));
    expect(await row(user.id)).toMatchObject({ callLimit: 2, balance: '3.000000', comment: '' });
    const refused = await trpcError(() => asReseller.users.update({ id: user.id, tariffId: adminTariff!.id }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: 'Tariff not found' });
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    await asReseller.users.update({ id: user.id, tariffId: adminTariff!.id });
    expect((await row(user.id))!.tariffId).toBe(adminTariff!.id);
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '0' });
    const other = await createReseller(api.handle);
    const asOther = await callerAs(api, other.username);
    expect((await trpcError(() => asOther.users.update({ id: user.id, comment: 'x' }))).code).toBe('NOT_FOUND');
  });

  it('blocks and unblocks; a blocked user loses the XML API at once', async () => {
    const user = await createUser(api.handle);
    const details = () =>
      api.call('user_details_get', { u: user.username, user_id: String(user.id) }, { hashOf: ['user_id'] });
    expect((await details()).body).toContain('<pagename>');
    const asAdmin = await admin();
    expect((await asAdmin.users.block({ id: user.id, blocked: true })).changed).toEqual(['blocked']);
    expect((await details()).body).toBe(statusErrorXml('Access Denied'));
    await asAdmin.users.block({ id: user.id, blocked: false });
    expect((await details()).body).toContain('<pagename>');
    const asUser = await callerAs(api, user.username);
    expect((await trpcError(() => asUser.users.block({ id: user.id, blocked: true }))).code).toBe('FORBIDDEN');
  });
});

describe('users.delete', () => {
  it('refuses a user with devices unless forced, then removes the devices with it', async () => {
    const user = await createUser(api.handle);
    await createDevice(api.handle, user.id);
    const asAdmin = await admin();
    const refused = await trpcError(() => asAdmin.users.delete({ id: user.id }));
    expect(refused.code).toBe('CONFLICT');
    expect(await row(user.id)).toBeDefined();
    expect(await asAdmin.users.delete({ id: user.id, force: true })).toEqual({
      id: user.id,
      removed: { devices: 1 },
    });
    expect(await row(user.id)).toBeUndefined();
    expect(await api.handle.db.select().from(devices).where(eq(devices.userId, user.id))).toHaveLength(0);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'user_deleted'));
    expect(log).toMatchObject({ targetId: user.id, data: user.username });
  });

  it("refuses a reseller that owns users, the caller itself, and other tenants' users", async () => {
    const reseller = await createReseller(api.handle);
    const mine = await createUser(api.handle, { ownerId: reseller.id });
    const asAdmin = await admin();
    expect((await trpcError(() => asAdmin.users.delete({ id: reseller.id }))).code).toBe('CONFLICT');
    const asReseller = await callerAs(api, reseller.username);
    expect((await trpcError(() => asReseller.users.delete({ id: reseller.id }))).code).toBe('FORBIDDEN');
    const other = await createReseller(api.handle);
    const asOther = await callerAs(api, other.username);
    expect((await trpcError(() => asOther.users.delete({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect(await asReseller.users.delete({ id: mine.id })).toEqual({ id: mine.id, removed: {} });
  });
});

describe('users.changeBalance', () => {
  it('adds an exact decimal string and answers the new balance as a string, over the wire too', async () => {
    const user = await createUser(api.handle, { balance: '0.1' });
    const client = clientWith(api, TEST.adminToken);
    const changed = await client.users.changeBalance.mutate({ id: user.id, amount: '0.2' });
    expect(changed).toEqual({ id: user.id, username: user.username, balance: '0.3000' });
    expect((await row(user.id))!.balance).toBe('0.300000');
    const asAdmin = await admin();
    expect((await trpcError(() => asAdmin.users.changeBalance({ id: user.id, amount: '1e5' }))).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('keeps resellers and accountants in their realm', async () => {
    const r1 = await createReseller(api.handle);
    const r2 = await createReseller(api.handle);
    const theirs = await createUser(api.handle, { ownerId: r2.id });
    const asR1 = await callerAs(api, r1.username);
    expect((await trpcError(() => asR1.users.changeBalance({ id: theirs.id, amount: '1' }))).code).toBe('NOT_FOUND');
    const acc = await createAccountant(api.handle, { users_manage: 1, see_financial_data: 2 });
    const adminsUser = await createUser(api.handle);
    const asAcc = await callerAs(api, acc.username);
    expect((await trpcError(() => asAcc.users.changeBalance({ id: adminsUser.id, amount: '1' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});
