import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../src/db/partitioned/calls.ts';
import { queryRows } from '../../src/db/rows.ts';
import { actions, callerids, devices, phonebooks, users } from '../../src/db/schema/index.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createReseller,
  createUser,
  insertCli,
  insertDevice,
  insertDid,
  insertPhonebook,
  setConflines,
} from '../helpers/factories.ts';
import { insertService } from '../helpers/subs.ts';

const api = useTestApp();
const OK = `${XML_DECL}\n<page>\n  <status>User deleted</status>\n</page>\n`;
const NOT_FOUND = pageErrorXml('User was not found');
const NOT_AUTHORIZED = pageErrorXml('You are not authorized to view this page');
const del = (id: number | string, u = 'admin', key?: string, prefix?: string) =>
  api
    .call('user_delete', { u, user_id: String(id) }, { hashOf: ['user_id'], key, ...(prefix ? { prefix } : {}) })
    .then((r) => r.body);
const exists = async (id: number) => (await api.handle.db.select().from(users).where(eq(users.id, id))).length === 1;

let reseller: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  reseller = await createReseller(api.handle, 'res-key');
  api.changed();
});

describe('user_delete', () => {
  it('deletes the user with its devices, CLIs, subscriptions and phonebooks; payments stay; logs it', async () => {
    const user = await createUser(api.handle);
    const device = await insertDevice(api.handle, user.id);
    await insertCli(api.handle, device.id, { cli: '37060000001' });
    await insertPhonebook(api.handle, user.id, { name: 'Mum', number: '370600', speeddial: '1' });
    const service = await insertService(api);
    await queryRows(
      api.handle.db,
      sql`insert into subscriptions (service_id, user_id, activation_start) values (${service}, ${user.id}, now())`,
    );
    await queryRows(
      api.handle.db,
      sql`insert into payments (user_id, paymenttype, currency, amount, gross) values (${user.id}, 'manual', 'USD', 5, 5)`,
    );
    expect(await del(user.id)).toBe(OK);
    expect(await exists(user.id)).toBe(false);
    expect(await api.handle.db.select().from(devices).where(eq(devices.userId, user.id))).toEqual([]);
    expect(await api.handle.db.select().from(callerids).where(eq(callerids.deviceId, device.id))).toEqual([]);
    expect(await api.handle.db.select().from(phonebooks).where(eq(phonebooks.userId, user.id))).toEqual([]);
    const left = await queryRows<{ subs: number; pays: number }>(
      api.handle.db,
      sql`select (select count(*)::int from subscriptions where user_id = ${user.id}) as subs,
        (select count(*)::int from payments where user_id = ${user.id}) as pays`,
    );
    expect(left[0]).toEqual({ subs: 0, pays: 1 });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'user_deleted'));
    expect(log).toMatchObject({ userId: 0, targetType: 'user', targetId: user.id, data: user.username });
    // Deleted means gone: asking again is a missing user, and the account can no longer call the API.
    expect(await del(user.id)).toBe(NOT_FOUND);
    expect(await del(user.id, user.username)).toBe(statusErrorXml('Access Denied'));
  });

  it('is served under /api and hashes user_id then the key (documented rule: sha1("12secret") = 60b20184…)', async () => {
    const user = await createUser(api.handle);
    expect(await del(user.id, 'admin', undefined, '/api')).toBe(OK);
    const res = await api.call(
      'user_delete',
      { u: 'admin', user_id: '12', hash: '60b20184852a62b975febcb6fbd7d475071e817a' },
      { hash: null },
    );
    expect(res.body).not.toBe(statusErrorXml('Incorrect hash'));
    const target = await createUser(api.handle);
    const withU = await api.call(
      'user_delete',
      { u: 'admin', user_id: String(target.id) },
      { hashOf: ['u', 'user_id'] },
    );
    expect(withU.body).toBe(statusErrorXml('Incorrect hash'));
    expect(await exists(target.id)).toBe(true);
  });

  it('refuses a user with DIDs, calls, invoices, then users of its own, in that order', async () => {
    const user = await createUser(api.handle, { usertype: 'reseller' });
    const device = await insertDevice(api.handle, user.id);
    const did = await insertDid(api.handle, { did: '37052000001', deviceId: device.id });
    await api.handle.db.execute(sql`select openmor_calls_partition(now())`);
    await api.handle.db.insert(calls).values({
      userId: user.id,
      calldate: new Date(),
      uniqueid: 'user-delete-1',
      disposition: 'ANSWERED',
      ratingStatus: 'rated',
    });
    await queryRows(
      api.handle.db,
      sql`insert into invoices (user_id, owner_id, seq, number, period_start, period_end, issue_date, invoice_type,
        price, price_with_vat, currency, total, total_tax, total_with_tax)
        values (${user.id}, 0, 9001, 'INV9001', '2026-01-01', '2026-01-31', '2026-02-01', 'prepaid', 0, 0, 'USD', 0, 0, 0)`,
    );
    const owned = await createUser(api.handle, { ownerId: user.id });
    expect(await del(user.id)).toBe(pageErrorXml('Cannot delete user - it has DIDs'));
    await api.handle.db.execute(sql`update dids set device_id = 0, user_id = ${user.id} where id = ${did.id}`);
    expect(await del(user.id)).toBe(pageErrorXml('Cannot delete user - it has DIDs'));
    await api.handle.db.execute(sql`delete from dids where id = ${did.id}`);
    expect(await del(user.id)).toBe(pageErrorXml('Cannot delete user - he has some calls'));
    await api.handle.db.execute(sql`delete from calls where user_id = ${user.id}`);
    expect(await del(user.id)).toBe(pageErrorXml('Cannot delete User - he has Invoicess'));
    await api.handle.db.execute(sql`delete from invoices where user_id = ${user.id}`);
    expect(await del(user.id)).toBe(pageErrorXml('Cannot delete user - he has some users'));
    expect(await exists(user.id)).toBe(true);
    expect(await del(owned.id)).toBe(OK);
    expect(await del(user.id)).toBe(OK);
  });

  it('answers User was not found for a missing, malformed or absent id, the admin and the caller itself', async () => {
    for (const id of ['999999', 'x', '-1', '', '0']) expect(await del(id)).toBe(NOT_FOUND);
    expect((await api.call('user_delete', { u: 'admin' }, { hashOf: ['user_id'] })).body).toBe(NOT_FOUND);
    expect(await del(reseller.id, reseller.username, 'res-key')).toBe(NOT_FOUND);
    expect(await exists(reseller.id)).toBe(true);
    expect(await exists(0)).toBe(true);
  });

  it('reseller: its own users only; another realm or the admin realm is a missing user', async () => {
    const own = await createUser(api.handle, { ownerId: reseller.id });
    const other = await createReseller(api.handle, 'other-key');
    const others = await createUser(api.handle, { ownerId: other.id });
    const admins = await createUser(api.handle);
    api.changed();
    expect(await del(others.id, reseller.username, 'res-key')).toBe(NOT_FOUND);
    expect(await del(admins.id, reseller.username, 'res-key')).toBe(NOT_FOUND);
    expect(await del(other.id, reseller.username, 'res-key')).toBe(NOT_FOUND);
    expect(await exists(others.id)).toBe(true);
    expect(await exists(admins.id)).toBe(true);
    expect(await del(own.id, reseller.username, 'res-key')).toBe(OK);
  });

  it("accountant: the admin's users with Manage users write; read-only or none is not authorized", async () => {
    const writer = await createAccountant(api.handle, { users_manage: 2 });
    const reader = await createAccountant(api.handle, { users_manage: 1 });
    const target = await createUser(api.handle);
    const resUser = await createUser(api.handle, { ownerId: reseller.id });
    api.changed();
    expect(await del(target.id, reader.username)).toBe(NOT_AUTHORIZED);
    expect(await exists(target.id)).toBe(true);
    expect(await del(resUser.id, writer.username)).toBe(NOT_FOUND);
    expect(await del(target.id, writer.username)).toBe(OK);
  });

  it('simple users and partners are not authorized; unknown u is Access Denied', async () => {
    const plain = await createUser(api.handle);
    const partner = await createUser(api.handle, { usertype: 'partner' });
    const target = await createUser(api.handle);
    api.changed();
    expect(await del(target.id, plain.username)).toBe(NOT_AUTHORIZED);
    expect(await del(plain.id, plain.username)).toBe(NOT_AUTHORIZED);
    expect(await del(target.id, partner.username)).toBe(NOT_AUTHORIZED);
    expect(await del(target.id, 'nobody_here')).toBe(statusErrorXml('Access Denied'));
    expect(await exists(target.id)).toBe(true);
  });

  it('GET and API switches', async () => {
    const target = await createUser(api.handle);
    expect(
      (await api.call('user_delete', { u: 'admin', user_id: String(target.id) }, { verb: 'GET', hashOf: ['user_id'] }))
        .body,
    ).toBe(statusErrorXml('GET Requests are disabled'));
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await del(target.id)).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
    expect(await exists(target.id)).toBe(true);
  });
});
