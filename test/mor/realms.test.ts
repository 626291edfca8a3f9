import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { ivrs } from '../../src/db/schema/clis.ts';
import { devicegroups } from '../../src/db/schema/devices.ts';
import { users } from '../../src/db/schema/users.ts';
import { callerAs } from '../helpers/admin.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createCardGroup,
  createDialplan,
  createLcr,
  createLocation,
  createProvider,
  createQuickforwardsRule,
  createResellerWithRights,
  createTariff,
  createUser,
  FIXTURE_PASSWORD,
  insertCard,
  insertCli,
  insertDevice,
  insertDid,
  insertPhonebook,
  setConflines,
} from '../helpers/factories.ts';
import { insertService } from '../helpers/subs.ts';

/**
 * The realm rule for every XML method (docs/decisions.md, "Objects of another realm"): where the
 * method's spec documents a distinct "not authorized" answer, every object that exists outside the
 * caller's realm gets it; where it documents none, such an object is answered exactly like a missing
 * one. Each case asks as reseller A with the other reseller's object, the admin's and a missing id.
 */
const api = useTestApp();

interface Account {
  id: number;
  username: string;
  key: string;
}
let A: Account;
let B: Account;
let userA: { id: number; username: string };
let userB: { id: number; username: string };
let adminUser: { id: number; username: string };
const MISSING = '999999';
let n = 0;
const fresh = (prefix: string) => `${prefix}${String(++n).padStart(5, '0')}`;

/** Calls `method` as `who` (default reseller A), hashing `hashOf` with its key; answers the body. */
const call = (method: string, params: Record<string, string>, hashOf: readonly string[], who: Account = A) =>
  api.call(method, { u: who.username, ...params }, { hashOf, key: who.key }).then((r) => r.body);

type Ids = { other: number | string; admin: number | string; missing?: number | string };
/** The answers for the other reseller's object, the admin's and a missing id. */
async function answers(ask: (id: string) => Promise<string>, ids: Ids) {
  return {
    other: await ask(String(ids.other)),
    admin: await ask(String(ids.admin)),
    missing: await ask(String(ids.missing ?? MISSING)),
  };
}
/** Outside the realm answers exactly like missing. */
const same = (missing: string) => ({ other: missing, admin: missing, missing });
/** Outside the realm answers the documented distinct string. */
const distinct = (outside: string, missing: string) => ({ other: outside, admin: outside, missing });

beforeAll(async () => {
  const h = api.handle;
  const rights = { calling_cards: 1, pbx_functions: 1 };
  const a = await createResellerWithRights(h, rights, 'realm-a-key');
  const b = await createResellerWithRights(h, rights, 'realm-b-key');
  A = { id: a.id, username: a.username, key: 'realm-a-key' };
  B = { id: b.id, username: b.username, key: 'realm-b-key' };
  userA = await createUser(h, { ownerId: A.id });
  userB = await createUser(h, { ownerId: B.id });
  adminUser = await createUser(h);
  await setConflines(h, 0, { allow_balance_over_http: '1', allow_rate_over_http: '1', allow_api_payments: '1' });
  api.changed();
});

describe('users and rating: an object of another realm answers like a missing one', () => {
  it('user_details_get', async () => {
    const ask = (id: string) => call('user_details_get', { user_id: id }, ['user_id']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
    expect(await ask('0')).toBe(pageErrorXml('User was not found'));
  });

  it('user_details_update: the target, and the tariff (u5) and spy device (u7) it points at', async () => {
    const ask = (id: string) => call('user_details_update', { user_id: id, u33: 'x' }, ['user_id', 'u33']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
    const tariff = (owner: number) => createTariff(api.handle, { purpose: 'user', ownerId: owner }).then((t) => t.id);
    const setTariff = (id: string) =>
      call('user_details_update', { user_id: String(userA.id), u5: id }, ['user_id', 'u5']);
    expect(await answers(setTariff, { other: await tariff(B.id), admin: await tariff(0) })).toEqual(
      same(pageErrorXml('Tariff not found')),
    );
    const device = (userId: number) => insertDevice(api.handle, userId).then((d) => d.id);
    const setSpy = (id: string) =>
      call('user_details_update', { user_id: String(userA.id), u7: id }, ['user_id', 'u7']);
    expect(await answers(setSpy, { other: await device(userB.id), admin: await device(adminUser.id) })).toEqual(
      same(pageErrorXml('User was not updated')),
    );
    expect(await setSpy(String(await device(userA.id)))).toBe(
      `${XML_DECL}\n<page>\n  <status>User was updated</status>\n</page>\n`,
    );
  });

  it('user_balance_update', async () => {
    const ask = (id: string) => call('user_balance_update', { user_id: id, balance: '1' }, ['user_id', 'balance']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
  });

  it('users_get lists only the own realm', async () => {
    const body = await call('users_get', { p: FIXTURE_PASSWORD }, ['u', 'p']);
    expect(body).toContain(`<username>${userA.username}</username>`);
    expect(body).not.toContain(`<username>${userB.username}</username>`);
    expect(body).not.toContain(`<username>${adminUser.username}</username>`);
  });

  it('user_delete', async () => {
    const ask = (id: string) => call('user_delete', { user_id: id }, ['user_id']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
  });

  it("queue_log_get: another realm's queue logs read as nothing", async () => {
    await queryRows(
      api.handle.db,
      sql`insert into queues (name, owner_id) values ('realm_q_a', ${A.id}), ('realm_q_b', ${B.id}), ('realm_q_0', 0)`,
    );
    await queryRows(
      api.handle.db,
      sql`insert into queue_log (time, callid, queuename, event)
        values (now(), 'a.1', 'realm_q_a', 'ENTERQUEUE'), (now(), 'b.1', 'realm_q_b', 'ENTERQUEUE'), (now(), 'z.1', 'realm_q_0', 'ENTERQUEUE')`,
    );
    const mine = await call('queue_log_get', {}, []);
    expect(mine).toContain('<queue_name>realm_q_a</queue_name>');
    expect(mine).not.toContain('realm_q_b');
    expect(mine).not.toContain('realm_q_0');
    for (const queuename of ['realm_q_b', 'realm_q_0', 'missing_q']) {
      expect(await call('queue_log_get', { queuename }, [])).toBe(pageErrorXml('No data found'));
    }
  });

  it('user_balance_get', async () => {
    const ask = (username: string) => call('user_balance_get', { username }, ['username']);
    expect(await answers(ask, { other: userB.username, admin: adminUser.username, missing: 'nobody_here' })).toEqual(
      same(pageErrorXml('User was not found')),
    );
  });

  it('rate_get: the documented <status> wrapper for every existing user outside the realm', async () => {
    const ask = (username: string) => call('rate_get', { username, prefix: '370' }, ['username']);
    expect(await answers(ask, { other: userB.username, admin: adminUser.username, missing: 'nobody_here' })).toEqual(
      distinct(statusErrorXml('User was not found'), pageErrorXml('User was not found')),
    );
  });

  it('tariff_rates_get: a tariff or a user of another realm', async () => {
    const tariff = (owner: number) => createTariff(api.handle, { purpose: 'user_wholesale', ownerId: owner });
    const byTariff = (id: string) => call('tariff_rates_get', { tariff_id: id }, ['tariff_id']);
    expect(await answers(byTariff, { other: (await tariff(B.id)).id, admin: (await tariff(0)).id })).toEqual(
      same(pageErrorXml('No tariff found')),
    );
    expect(await byTariff(String((await tariff(A.id)).id))).not.toContain('<error>');
    const byUser = (id: string) => call('tariff_rates_get', { user_id: id }, ['user_id']);
    expect(await answers(byUser, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('No tariff found')),
    );
  });

  it("tariffs_get lists only the own realm's tariffs", async () => {
    const own = await createTariff(api.handle, { purpose: 'user', ownerId: A.id });
    const others = await createTariff(api.handle, { purpose: 'user', ownerId: B.id });
    const admins = await createTariff(api.handle, { purpose: 'user', ownerId: 0 });
    const body = await call('tariffs_get', {}, ['u']);
    expect(body).toContain(`<name>${own.name}</name>`);
    expect(body).not.toContain(`<name>${others.name}</name>`);
    expect(body).not.toContain(`<name>${admins.name}</name>`);
  });

  it('tariff_wholesale_update', async () => {
    const tariff = (owner: number) => createTariff(api.handle, { purpose: 'user_wholesale', ownerId: owner });
    const ask = (id: string) => call('tariff_wholesale_update', { id, name: 'Renamed' }, ['id', 'name']);
    expect(await answers(ask, { other: (await tariff(B.id)).id, admin: (await tariff(0)).id })).toEqual(
      same(pageErrorXml('Tariff not found')),
    );
    expect(await ask(String((await tariff(A.id)).id))).not.toContain('<error>');
  });

  it('tariff_retail_import: the documented "belongs to other user" for every tariff outside the realm', async () => {
    const other = await createTariff(api.handle, { purpose: 'user', ownerId: B.id, name: 'Same name' });
    const admin = await createTariff(api.handle, { purpose: 'user', ownerId: 0, name: 'Same name' });
    const xml = (id: number | string) =>
      `<tariff><id>${id}</id><name>Same name</name><destinations><destination><destination_group_name>G</destination_group_name><destination_group_type>FIX</destination_group_type><rates><rate_price>1</rate_price></rates></destination></destinations></tariff>`;
    for (const id of [other.id, admin.id]) {
      expect(await call('tariff_retail_import', { xml: xml(id) }, [])).toBe(
        pageErrorXml('Tariff belongs to other user!'),
      );
    }
  });
});

describe('devices, CLIs and call flows: an object of another realm answers like a missing one', () => {
  const device = (userId: number, values = {}) => insertDevice(api.handle, userId, values).then((d) => d.id);

  it('device_create: the user and the device group', async () => {
    const ask = (id: string) => call('device_create', { user_id: id }, ['user_id']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
    const group = async (userId: number) =>
      (await api.handle.db.insert(devicegroups).values({ userId, name: 'g' }).returning())[0]!.id;
    const inGroup = (id: string) =>
      call('device_create', { user_id: String(userA.id), devicegroup_id: id }, ['user_id', 'devicegroup_id']);
    expect(await answers(inGroup, { other: await group(userB.id), admin: await group(adminUser.id) })).toEqual(
      same(pageErrorXml('Device group invalid')),
    );
  });

  it('device_delete, device_details_get, device_update, device_callflow_get', async () => {
    const ids = { other: await device(userB.id), admin: await device(adminUser.id) };
    const notFound = pageStatusErrorXml('Device was not found');
    expect(await answers((id) => call('device_delete', { device: id }, ['device']), ids)).toEqual(same(notFound));
    expect(await answers((id) => call('device_details_get', { device_id: id }, ['device_id']), ids)).toEqual(
      same(notFound),
    );
    expect(await answers((id) => call('device_update', { device: id, description: 'x' }, ['device']), ids)).toEqual(
      same(notFound),
    );
    expect(await answers((id) => call('device_callflow_get', { device_id: id }, ['device_id']), ids)).toEqual(
      same(notFound),
    );
  });

  it('device_rules_get, device_rule_create, device_rule_delete: a device (or its rule) of another realm', async () => {
    const device = (userId: number) => insertDevice(api.handle, userId).then((d) => d.id);
    const get = (id: string) => call('device_rules_get', { device_id: id }, ['device_id']);
    expect(await answers(get, { other: await device(userB.id), admin: await device(adminUser.id) })).toEqual(
      same(pageErrorXml('Device was not found')),
    );
    const create = (id: string) => call('device_rule_create', { device_id: id, name: 'r', add: '1' }, ['device_id']);
    expect(await answers(create, { other: await device(userB.id), admin: await device(adminUser.id) })).toEqual(
      same(pageStatusErrorXml('Device was not found')),
    );
    const rule = async (userId: number) => {
      const id = await device(userId);
      const [row] = await queryRows<{ id: number }>(
        api.handle.db,
        sql`insert into devicerules (device_id, name, add) values (${id}, 'r', '1') returning id`,
      );
      return row!.id;
    };
    const del = (id: string) => call('device_rule_delete', { device_rule_id: id }, ['device_rule_id']);
    expect(await answers(del, { other: await rule(userB.id), admin: await rule(adminUser.id) })).toEqual(
      same(pageStatusErrorXml('Device rule was not found')),
    );
  });

  it('device_details_get by device username', async () => {
    const username = async (userId: number) => (await insertDevice(api.handle, userId)).username;
    const ask = (u: string) => call('device_details_get', { device_u: u }, ['device_u']);
    expect(
      await answers(ask, { other: await username(userB.id), admin: await username(adminUser.id), missing: 'nodev' }),
    ).toEqual(same(pageStatusErrorXml('Device was not found')));
  });

  it('device_update: the location', async () => {
    const mine = String(await device(userA.id));
    const location = async (owner: number) => (await createLocation(api.handle, owner)).id;
    const ask = (id: string) => call('device_update', { device: mine, new_location_id: id }, ['device']);
    expect(await answers(ask, { other: await location(B.id), admin: await location(0) })).toEqual(
      same(pageStatusErrorXml('Location was not found')),
    );
  });

  it('device_callflow_update: the device, the forward device and the fax device', async () => {
    const mine = String(await device(userA.id));
    const set = (params: Record<string, string>) =>
      call('device_callflow_update', { device_id: mine, state: 'busy', ...params }, [
        'device_id',
        'callflow_action',
        'state',
        'forward_to_device',
        'fax_device',
      ]);
    const ids = { other: await device(userB.id), admin: await device(adminUser.id) };
    expect(
      await answers(
        (id) =>
          call('device_callflow_update', { device_id: id, state: 'busy', callflow_action: 'empty' }, [
            'device_id',
            'callflow_action',
            'state',
          ]),
        ids,
      ),
    ).toEqual(same(pageStatusErrorXml('Device was not found')));
    expect(await answers((id) => set({ callflow_action: 'forward', forward_to_device: id }), ids)).toEqual(
      same(pageStatusErrorXml('Forward device was not found')),
    );
    const fax = { other: await device(userB.id, { deviceType: 'FAX' }), admin: await device(0, { deviceType: 'FAX' }) };
    const faxAsk = (id: string) =>
      call(
        'device_callflow_update',
        { device_id: mine, state: 'before_call', callflow_action: 'fax_detect', fax_device: id },
        ['device_id', 'callflow_action', 'state', 'fax_device'],
      );
    expect(await answers(faxAsk, fax)).toEqual(same(pageStatusErrorXml('Fax device was not found')));
  });

  it('cli_add: the device and the IVR', async () => {
    const ids = { other: await device(userB.id), admin: await device(adminUser.id) };
    const ask = (id: string) =>
      call('cli_add', { device_id: id, cli_number: fresh('77') }, ['device_id', 'cli_number']);
    expect(await answers(ask, ids)).toEqual(same(pageStatusErrorXml('Device was not found')));
    const ivr = async (owner: number) =>
      (await api.handle.db.insert(ivrs).values({ name: 'menu', ownerId: owner }).returning())[0]!.id;
    const mine = String(await device(userA.id));
    const withIvr = (id: string) =>
      call('cli_add', { device_id: mine, cli_number: fresh('78'), ivr_id: id }, ['device_id', 'cli_number', 'ivr_id']);
    expect(await answers(withIvr, { other: await ivr(B.id), admin: await ivr(0) })).toEqual(
      same(pageStatusErrorXml('IVR was not found')),
    );
  });

  it('cli_delete and cli_info_get', async () => {
    const cli = async (userId: number) => {
      const number = fresh('79');
      await insertCli(api.handle, await device(userId), { cli: number });
      return number;
    };
    const ids = { other: await cli(userB.id), admin: await cli(adminUser.id), missing: '79999999' };
    expect(await answers((c) => call('cli_delete', { cli_number: c }, ['cli_number']), ids)).toEqual(
      same(pageStatusErrorXml('CLI was not found')),
    );
    expect(await answers((c) => call('cli_info_get', { cli: c }, []), ids)).toEqual(
      same(pageStatusErrorXml('CLI not found')),
    );
  });

  it('device_clis_get: the device and the user', async () => {
    const withCli = async (userId: number) => {
      const id = await device(userId);
      await insertCli(api.handle, id, { cli: fresh('80') });
      return id;
    };
    const ids = { other: await withCli(userB.id), admin: await withCli(adminUser.id) };
    expect(await answers((id) => call('device_clis_get', { devices_id: id }, []), ids)).toEqual(
      same(pageStatusErrorXml('Device was not found')),
    );
    expect(
      await answers((id) => call('device_clis_get', { users_id: id }, []), { other: userB.id, admin: adminUser.id }),
    ).toEqual(same(pageStatusErrorXml('User was not found')));
  });

  it('devices_get', async () => {
    await device(userB.id);
    await device(adminUser.id);
    const ask = (id: string) => call('devices_get', { user_id: id }, ['user_id']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(same(pageErrorXml('User not found')));
  });
});

describe('DIDs: the documented "Your are not authorized" strings for every object of another realm', () => {
  const did = (values: Record<string, number | string> = {}) =>
    insertDid(api.handle, { did: fresh('3706'), ...values });
  const mineDevice = () => insertDevice(api.handle, userA.id).then((d) => String(d.id));

  it('did_device_assign: a DID of another realm', async () => {
    const device = await mineDevice();
    const ask = (number: string) => call('did_device_assign', { device_id: device, did: number }, ['device_id', 'did']);
    const ids = { other: (await did({ resellerId: B.id })).did, admin: (await did()).did, missing: '37099999999' };
    expect(await answers(ask, ids)).toEqual(
      distinct(pageStatusErrorXml('Your are not authorized to use this DID'), pageStatusErrorXml('DID was not found')),
    );
  });

  it('did_device_assign: a device of another realm', async () => {
    const own = await did({ resellerId: A.id });
    const ask = (id: string) => call('did_device_assign', { device_id: id, did: own.did }, ['device_id', 'did']);
    const ids = {
      other: (await insertDevice(api.handle, userB.id)).id,
      admin: (await insertDevice(api.handle, adminUser.id)).id,
    };
    expect(await answers(ask, ids)).toEqual(
      distinct(
        pageStatusErrorXml('Your are not authorized to use this Device'),
        pageStatusErrorXml('Device was not found'),
      ),
    );
  });

  it('did_device_unassign, by number and by id', async () => {
    const active = async (resellerId: number, userId: number) => {
      const device = await insertDevice(api.handle, userId);
      return did({ resellerId, userId, deviceId: device.id, status: 'active' });
    };
    const other = await active(B.id, userB.id);
    const admin = await active(0, adminUser.id);
    const expected = distinct(
      pageStatusErrorXml('Your are not authorized to use this DID'),
      pageStatusErrorXml('DID was not found'),
    );
    const byNumber = (number: string) => call('did_device_unassign', { did: number }, ['did']);
    expect(await answers(byNumber, { other: other.did, admin: admin.did, missing: '37099999999' })).toEqual(expected);
    const byId = (id: string) => call('did_device_unassign', { did_id: id }, ['did_id']);
    expect(await answers(byId, { other: other.id, admin: admin.id })).toEqual(expected);
  });

  it('did_create: a provider of another realm', async () => {
    const ask = (id: string) => call('did_create', { provider_id: id, did: fresh('3707') }, ['provider_id', 'did']);
    const ids = { other: (await createProvider(api.handle, B.id)).id, admin: (await createProvider(api.handle, 0)).id };
    expect(await answers(ask, ids)).toEqual(
      distinct(
        pageStatusErrorXml('Your are not authorized to use this Provider'),
        pageStatusErrorXml('Provider was not found'),
      ),
    );
  });

  it('did_details_update: the DID (no distinct string), the user, the provider (did_create strings)', async () => {
    const ids = { other: (await did({ resellerId: B.id })).id, admin: (await did()).id };
    const ask = (id: string) => call('did_details_update', { did_id: id, comment: 'x' }, ['did_id']);
    expect(await answers(ask, ids)).toEqual(same(pageStatusErrorXml('DID was not found')));
    const own = String((await did({ resellerId: A.id })).id);
    const give = (id: string) => call('did_details_update', { did_id: own, did_user_id: id }, ['did_id']);
    expect(await answers(give, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('User was not found')),
    );
    const provide = (id: string) => call('did_details_update', { did_id: own, did_provider_id: id }, ['did_id']);
    const providers = {
      other: (await createProvider(api.handle, B.id)).id,
      admin: (await createProvider(api.handle, 0)).id,
    };
    expect(await answers(provide, providers)).toEqual(
      distinct(
        pageStatusErrorXml('Your are not authorized to use this Provider'),
        pageStatusErrorXml('Provider was not found'),
      ),
    );
  });

  it('did_subscription_stop', async () => {
    const active = async (resellerId: number, userId: number) => {
      const device = await insertDevice(api.handle, userId);
      return (await did({ resellerId, userId, deviceId: device.id, status: 'active' })).id;
    };
    const ask = (id: string) => call('did_subscription_stop', { did_id: id }, ['did_id']);
    expect(await answers(ask, { other: await active(B.id, userB.id), admin: await active(0, adminUser.id) })).toEqual(
      same(pageStatusErrorXml('DID was not found')),
    );
  });

  it('did_terminate: a DID not handed to the reseller answers like a missing one', async () => {
    const ask = (id: string) => call('did_terminate', { dids_id: id }, ['dids_id']);
    const free = async (resellerId: number) => (await did({ resellerId })).id;
    expect(await answers(ask, { other: await free(B.id), admin: await free(0) })).toEqual(
      same(pageStatusErrorXml('DID was not found')),
    );
  });

  it('did_delete: resellers never delete DIDs (the pipeline Access Denied), whoever holds the DID', async () => {
    const ask = (id: string) => call('did_delete', { dids_id: id }, ['dids_id']);
    const terminated = async (resellerId: number) => (await did({ resellerId, status: 'terminated' })).id;
    const own = await terminated(A.id);
    expect(await answers(ask, { other: await terminated(B.id), admin: await terminated(0) })).toEqual(
      same(statusErrorXml('Access Denied')),
    );
    expect(await ask(String(own))).toBe(statusErrorXml('Access Denied'));
  });

  it('dids_get filtered by a user of another realm finds nothing, as for a missing user', async () => {
    await did({ resellerId: B.id, userId: userB.id, status: 'reserved' });
    await did({ userId: adminUser.id, status: 'reserved' });
    const ask = (id: string) => call('dids_get', { search_user: id }, []);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(same(pageErrorXml('No DIDs found')));
  });

  it('quickforwards_did_update and quickforwards_did_delete: a DID outside the caller rule', async () => {
    await createQuickforwardsRule(api.handle, 0, '3708', [userA.id]);
    const plan = await createDialplan(api.handle, { dptype: 'quickforwarddids' });
    const other = await did({ resellerId: B.id, dialplanId: plan.id });
    const admin = await did({ dialplanId: plan.id });
    const asUser: Account = { id: userA.id, username: userA.username, key: A.key };
    const ids = { other: other.did, admin: admin.did, missing: '37089999999' };
    const update = (number: string) =>
      call('quickforwards_did_update', { did: number, forward_to: '123' }, ['did', 'forward_to'], asUser);
    expect(await answers(update, ids)).toEqual(same(pageErrorXml('DID was not found')));
    const remove = (number: string) => call('quickforwards_did_delete', { did: number }, ['did'], asUser);
    expect(await answers(remove, ids)).toEqual(same(pageErrorXml('DID was not found')));
  });
});

describe('phonebooks', () => {
  it('phonebooks_get and phonebook_record_create: a user of another realm', async () => {
    const get = (id: string) => call('phonebooks_get', { user_id: id }, ['user_id']);
    expect(await answers(get, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
    const record = { number: '1', name: 'n', speeddial: '11' };
    const create = (id: string) =>
      call('phonebook_record_create', { user_id: id, ...record }, ['user_id', 'number', 'name', 'speeddial']);
    expect(await answers(create, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
  });

  it('phonebook_edit: the documented Access Denied for every record outside reach', async () => {
    const record = (userId: number) =>
      insertPhonebook(api.handle, userId, { name: 'r', number: '1', speeddial: fresh('') }).then((r) => r.id);
    const ask = (id: string) => call('phonebook_edit', { phonebook_id: id, name: 'z' }, ['phonebook_id', 'name']);
    const expected = distinct(pageErrorXml('Access Denied'), pageErrorXml('Phonebook was not found'));
    expect(await answers(ask, { other: await record(userB.id), admin: await record(adminUser.id) })).toEqual(expected);
    expect(await answers(ask, { other: await record(B.id), admin: await record(0) })).toEqual(expected);
  });
});

describe('calling cards: an object of another realm answers like a missing one', () => {
  const group = (ownerId: number) => createCardGroup(api.handle, { ownerId });
  let groups: { other: Awaited<ReturnType<typeof group>>; admin: Awaited<ReturnType<typeof group>> };
  let cardNo = 0;
  const card = (g: { id: number; ownerId: number }, values = {}) =>
    insertCard(api.handle, g, { number: String(5550000000 + ++cardNo), pin: String(700000 + cardNo), ...values });

  beforeAll(async () => {
    groups = { other: await group(B.id), admin: await group(0) };
  });

  it('cc_group_update, cc_groups_get, card_group_get, calling_cards_create, card_from_group_sell', async () => {
    const ids = { other: groups.other.id, admin: groups.admin.id };
    expect(
      await answers((id) => call('cc_group_update', { cc_Group_id: id, name: 'z' }, ['cc_Group_id']), ids),
    ).toEqual(same(pageStatusErrorXml('Card Group not found')));
    expect(await answers((id) => call('cc_groups_get', { cc_group_id: id }, []), ids)).toEqual(
      same(pageStatusErrorXml('Calling cards groups were not found')),
    );
    expect(await answers((id) => call('card_group_get', { id }, ['id']), ids)).toEqual(
      same(pageStatusErrorXml('Cardgroup was not found')),
    );
    const create = (id: string) =>
      call('calling_cards_create', { card_group_id: id, cards_from: '1000000001', cards_till: '1000000002' }, [
        'card_group_id',
        'cards_from',
        'cards_till',
      ]);
    expect(await answers(create, ids)).toEqual(same(pageStatusErrorXml('Card Group was not found')));
    expect(await answers((id) => call('card_from_group_sell', { id }, ['id']), ids)).toEqual(
      same(pageStatusErrorXml('Cardgroup was not found')),
    );
  });

  it('cc_group_create and cc_group_update: the tariff, LCR, location and dial plan they point at', async () => {
    const mine = String((await group(A.id)).id);
    const refs = {
      tariff_id: [
        (await createTariff(api.handle, { purpose: 'user', ownerId: B.id })).id,
        (await createTariff(api.handle, { purpose: 'user', ownerId: 0 })).id,
      ],
      lcr_id: [(await createLcr(api.handle, B.id)).id, (await createLcr(api.handle, 0)).id],
      location_id: [(await createLocation(api.handle, B.id)).id, (await createLocation(api.handle, 0)).id],
    } as const;
    const createMessages = {
      tariff_id: 'Tariff was not found',
      lcr_id: 'LCR was not found',
      location_id: 'Location was not found',
    };
    const updateMessages = {
      tariff_id: 'Invalid Tariff id',
      lcr_id: 'Invalid Lcr id',
      location_id: 'Invalid Location id',
    };
    for (const [param, [other, admin]] of Object.entries(refs) as [keyof typeof refs, readonly number[]][]) {
      const create = (id: string) => call('cc_group_create', { name: fresh('g'), [param]: id }, ['name']);
      expect(await answers(create, { other: other!, admin: admin! })).toEqual(
        same(pageStatusErrorXml(createMessages[param])),
      );
      const update = (id: string) => call('cc_group_update', { cc_Group_id: mine, [param]: id }, ['cc_Group_id']);
      expect(await answers(update, { other: other!, admin: admin! })).toEqual(
        same(pageStatusErrorXml(updateMessages[param])),
      );
    }
    const plan = (owner: number) => createDialplan(api.handle, { dptype: 'callingcard', ownerId: owner });
    const withPlan = (id: string) => call('cc_group_update', { cc_Group_id: mine, dialplan_id: id }, ['cc_Group_id']);
    expect(await answers(withPlan, { other: (await plan(B.id)).id, admin: (await plan(0)).id })).toEqual(
      same(pageStatusErrorXml('Invalid Dialplan id')),
    );
  });

  it('calling_card_update: the card and the distributor', async () => {
    const ids = { other: (await card(groups.other)).id, admin: (await card(groups.admin)).id };
    expect(await answers((id) => call('calling_card_update', { card_id: id, name: 'z' }, ['card_id']), ids)).toEqual(
      same(pageStatusErrorXml('Calling Card not found')),
    );
    const mine = String((await card(await group(A.id))).id);
    const distribute = (id: string) => call('calling_card_update', { card_id: mine, distributor: id }, ['card_id']);
    expect(await answers(distribute, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('Invalid distributor')),
    );
  });

  it('card_balance_get and card_payment_add', async () => {
    const numbers = {
      other: (await card(groups.other, { sold: true })).number,
      admin: (await card(groups.admin, { sold: true })).number,
      missing: '5559999999',
    };
    expect(await answers((number) => call('card_balance_get', { number }, ['number']), numbers)).toEqual(
      same(pageErrorXml('Calling Card was not found')),
    );
    const pay = (number: string) => call('card_payment_add', { number, amount: '1' }, ['number', 'amount']);
    expect(await answers(pay, numbers)).toEqual(same(pageStatusErrorXml('Calling Card was not found')));
    const own = (await card(await group(A.id), { sold: true })).number;
    expect(await call('card_balance_get', { number: own }, ['number'])).not.toContain('<error>');
    expect(await pay(own)).toContain('<success>Calling Card balance successfully updated</success>');
  });

  it('calling_cards_get filtered by a distributor of another realm finds nothing, as for a missing one', async () => {
    await card(groups.other, { userId: userB.id });
    await card(groups.admin, { userId: adminUser.id });
    await card(await group(A.id));
    const ask = (id: string) => call('calling_cards_get', { distributor: id }, []);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('Cards were not found')),
    );
  });

  it('card_by_cli_update: the card group and the PIN card', async () => {
    const ids = { other: groups.other.id, admin: groups.admin.id };
    const ask = (id: string) =>
      call('card_by_cli_update', { callerid: fresh('3709'), cardgroup_id: id, amount: '1' }, [
        'amount',
        'callerid',
        'cardgroup_id',
      ]);
    expect(await answers(ask, ids)).toEqual(same(pageErrorXml('Supplied Cardgroup_id is invalid')));
    const pins = {
      other: (await card(groups.other, { sold: true })).pin,
      admin: (await card(groups.admin, { sold: true })).pin,
      missing: '799999',
    };
    const byPin = (pin: string) => call('card_by_cli_update', { callerid: fresh('3709'), pin }, ['pin', 'callerid']);
    expect(await answers(byPin, pins)).toEqual(same(pageErrorXml('Calling Card was not found')));
  });
});

describe('conflines_update: objects the Default User / Default Device lines point at', () => {
  it('a tariff, location or Quickforwards rule of another reseller answers like a missing one', async () => {
    // conflines_update is signed with the admin's key whoever calls (decisions: Secret keys).
    const signer = { ...A, key: TEST.apiSecretKey };
    const ask = (name: string) => (id: string) => call('conflines_update', { [name]: id }, [], signer);
    const tariff = (owner: number) => createTariff(api.handle, { purpose: 'user', ownerId: owner }).then((t) => t.id);
    expect(await answers(ask('default_user_tariff_id'), { other: await tariff(B.id), admin: await tariff(0) })).toEqual(
      same(pageStatusErrorXml('default_user_tariff_id was not found')),
    );
    // The admin's locations and rules are in a reseller's realm (decisions: conflines_update).
    const location = await createLocation(api.handle, B.id);
    expect(await ask('default_device_location_id')(String(location.id))).toBe(
      await ask('default_device_location_id')(MISSING),
    );
    const rule = await createQuickforwardsRule(api.handle, B.id, '3710');
    expect(await ask('default_user_quickforwards_rule_id')(String(rule.id))).toBe(
      await ask('default_user_quickforwards_rule_id')(MISSING),
    );
  });
});

describe('calls and statistics: a user or object of another realm answers like a missing one', () => {
  const HISTORY = ['period_start', 'period_end', 's_user'];
  it('user_calls_get', async () => {
    const ask = (id: string) => call('user_calls_get', { s_user: id }, HISTORY);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
  });

  it('local_calls_get', async () => {
    const ask = (id: string) => call('local_calls_get', { s_user: id }, ['from', 'till', 's_user']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('User was not found')),
    );
  });

  it('aggregate_get: originator, device, provider and terminator filters', async () => {
    await api.handle.db.update(users).set({ ownProviders: true }).where(eq(users.id, A.id));
    const ask = (name: string) => (id: string) => call('aggregate_get', { [name]: id }, []);
    expect(await answers(ask('s_originator_id'), { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageErrorXml('User was not found')),
    );
    const device = (userId: number) => insertDevice(api.handle, userId).then((d) => d.id);
    expect(
      await answers(ask('s_device'), { other: await device(userB.id), admin: await device(adminUser.id) }),
    ).toEqual(same(pageErrorXml('Device was not found')));
    const provider = (owner: number) => createProvider(api.handle, owner).then((p) => p.id);
    const providers = { other: await provider(B.id), admin: await provider(0) };
    expect(await answers(ask('s_provider'), providers)).toEqual(same(pageErrorXml('Provider was not found')));
    expect(await answers(ask('s_terminator_id'), providers)).toEqual(same(pageErrorXml('Terminator was not found')));
  });
});

describe('services and subscriptions: an object of another realm answers like a missing one', () => {
  const service = (ownerId: number) => insertService(api, { ownerId, name: fresh('svc') });

  it('service_update and service_delete: a service of another reseller or of the admin', async () => {
    const ids = async () => ({ other: await service(B.id), admin: await service(0) });
    const update = (id: string) => call('service_update', { service_id: id, service_name: 'x' }, ['service_id']);
    expect(await answers(update, await ids())).toEqual(same(pageStatusErrorXml('Service was not found')));
    const del = (id: string) => call('service_delete', { service_id: id }, ['service_id']);
    expect(await answers(del, await ids())).toEqual(same(pageStatusErrorXml('Service was not found')));
  });

  it('services_get lists only the own realm', async () => {
    const other = await service(B.id);
    const mine = await service(A.id);
    const body = await call('services_get', {}, []);
    expect(body).toContain(`<id>${mine}</id>`);
    expect(body).not.toContain(`<id>${other}</id>`);
  });

  it('subscription_create, subscription_update, subscription_delete, subscriptions_get', async () => {
    const subscriber = async (ownerId: number) => {
      const u = await createUser(api.handle, { ownerId });
      await api.handle.db.execute(sql`update users set postpaid = true where id = ${u.id}`);
      return u.id;
    };
    const subscription = async (ownerId: number) => {
      const [row] = await queryRows<{ id: number }>(
        api.handle.db,
        sql`insert into subscriptions (service_id, user_id, activation_start)
          values (${await service(ownerId)}, ${await subscriber(ownerId)}, now()) returning id`,
      );
      return row!.id;
    };
    const mine = await service(A.id);
    const createFor = (id: string) =>
      call('subscription_create', { user_id: id, service_id: String(mine) }, ['user_id', 'service_id']);
    expect(await answers(createFor, { other: await subscriber(B.id), admin: await subscriber(0) })).toEqual(
      same(pageStatusErrorXml('User was not found')),
    );
    const createWith = (id: string) =>
      call('subscription_create', { user_id: String(userA.id), service_id: id }, ['user_id', 'service_id']);
    expect(await answers(createWith, { other: await service(B.id), admin: await service(0) })).toEqual(
      same(pageStatusErrorXml('Service was not found')),
    );
    const ids = async () => ({ other: await subscription(B.id), admin: await subscription(0) });
    const update = (id: string) => call('subscription_update', { subscription_id: id }, ['subscription_id']);
    expect(await answers(update, await ids())).toEqual(same(pageStatusErrorXml('Subscription was not found')));
    const del = (id: string) =>
      call('subscription_delete', { subscription_id: id, subscription_delete_action: '3' }, [
        'subscription_id',
        'subscription_delete_action',
      ]);
    expect(await answers(del, await ids())).toEqual(same(pageStatusErrorXml('Subscription was not found')));
    const get = (id: string) => call('subscriptions_get', { user_id: id }, []);
    expect(await answers(get, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('No Subscriptions found')),
    );
  });
});

describe('calls: a user of another realm answers like a missing one', () => {
  it('active_calls_get filtered by s_user_id / s_dst_user_id', async () => {
    for (const filter of ['s_user_id', 's_dst_user_id']) {
      const ask = (id: string) => call('active_calls_get', { [filter]: id }, ['u']);
      expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
        same(pageStatusErrorXml('User was not found')),
      );
    }
    // Its own user: an empty list, not an error.
    expect(await call('active_calls_get', { s_user_id: String(userA.id) }, ['u'])).toBe(`${XML_DECL}\n<page></page>\n`);
  });
});

describe('providers: a provider of another realm answers like a missing one', () => {
  it('providers_get with provider_id, and the list holds only the own realm', async () => {
    const other = await createProvider(api.handle, B.id, { name: fresh('prov') });
    const admin = await createProvider(api.handle, 0, { name: fresh('prov') });
    const mine = await createProvider(api.handle, A.id, { name: fresh('prov') });
    const ask = (id: string) => call('providers_get', { provider_id: id }, []);
    expect(await answers(ask, { other: other.id, admin: admin.id })).toEqual(
      same(pageErrorXml('Provider was not found')),
    );
    expect(await ask(String(mine.id))).toContain(`<id>${mine.id}</id>`);
    const body = await call('providers_get', {}, []);
    expect(body).toContain(`<id>${mine.id}</id>`);
    expect(body).not.toContain(`<id>${other.id}</id>`);
    expect(body).not.toContain(`<id>${admin.id}</id>`);
  });

  it('provider_update and provider_delete are the admin only, whatever the provider', async () => {
    const mine = await createProvider(api.handle, A.id, { name: fresh('prov') });
    const other = await createProvider(api.handle, B.id, { name: fresh('prov') });
    for (const id of [mine.id, other.id]) {
      expect(await call('provider_update', { provider_id: String(id), name: 'x' }, [])).toBe(
        pageErrorXml('Access Denied'),
      );
      expect(await call('provider_delete', { provider_id: String(id) }, [])).toBe(pageErrorXml('Access Denied'));
    }
  });

  it("email_send: another realm's user answers like a missing one, another realm's template too", async () => {
    await api.handle.db.execute(
      sql`insert into emails (owner_id, name, body) values (${A.id}, 'realm_note', 'x'), (${B.id}, 'realm_b_note', 'x')`,
    );
    const ask = (id: string) =>
      call('email_send', { email_name: 'realm_note', email_to_user_id: id }, ['email_name', 'email_to_user_id']);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('User not found')),
    );
    expect(await call('email_send', { email_name: 'realm_b_note' }, ['email_name', 'email_to_user_id'])).toBe(
      pageStatusErrorXml('Email not found'),
    );
  });

  it('spy_call: a call of another realm answers like a missing one', async () => {
    await setConflines(api.handle, 0, { monitorings_addon: '1' });
    const spyDevice = await insertDevice(api.handle, A.id);
    await api.handle.db.execute(sql`update users set spy_device_id = ${spyDevice.id} where id = ${A.id}`);
    const callOf = async (userId: number, resellerId: number | null) =>
      (
        await queryRows<{ id: number }>(
          api.handle.db,
          sql`insert into active_calls (uniqueid, start_time, user_id, reseller_id, channel)
            values (${fresh('spy')}, now(), ${userId}, ${resellerId}, 'SIP/x-1') returning id`,
        )
      )[0]!.id;
    const ask = (id: string) => call('spy_call', { active_call_id: id }, ['u', 'active_call_id']);
    expect(
      await answers(ask, { other: await callOf(userB.id, B.id), admin: await callOf(adminUser.id, null) }),
    ).toEqual(same(pageErrorXml('Active call was not found')));
  });

  it('callback_init: a device of another realm answers like a missing one', async () => {
    await setConflines(api.handle, 0, { callback_addon: '1' });
    const ask = (id: string) => call('callback_init', { device: id, src: '1' }, ['device', 'dst', 'src']);
    const device = (userId: number) => insertDevice(api.handle, userId).then((d) => d.id);
    const bad = `${XML_DECL}\n<Status>Bad device</Status>\n`;
    expect(await answers(ask, { other: await device(userB.id), admin: await device(adminUser.id) })).toEqual(same(bad));
  });

  it('ma_activate: resellers are refused whatever the monitoring', async () => {
    await setConflines(api.handle, 0, { monitorings_addon: '1' });
    const [m] = await queryRows<{ id: number }>(
      api.handle.db,
      sql`insert into monitorings (block, email, mtype) values (true, false, 1) returning id`,
    );
    const params = { monitoring_id: String(m!.id), users: String(userA.id), block: 'true', email: 'false', mtype: '1' };
    expect(await call('ma_activate', params, [])).toBe(statusErrorXml('Access Denied'));
  });

  it('user_sms_service_subscribe: a user of another realm answers like a missing one', async () => {
    await setConflines(api.handle, 0, { sms_addon: '1' });
    const [lcr] = await queryRows<{ id: number }>(
      api.handle.db,
      sql`insert into sms_lcrs (name) values ('l') returning id`,
    );
    const [tariff] = await queryRows<{ id: number }>(
      api.handle.db,
      sql`insert into sms_tariffs (owner_id, name) values (${A.id}, 'a') returning id`,
    );
    await api.handle.db.execute(
      sql`insert into sms_subscriptions (user_id, sms_tariff_id, sms_lcr_id) values (${A.id}, ${tariff!.id}, ${lcr!.id})`,
    );
    const ask = (id: string) =>
      call('user_sms_service_subscribe', { user_id: id, sms_tariff_id: String(tariff!.id) }, [
        'user_id',
        'sms_tariff_id',
      ]);
    expect(await answers(ask, { other: userB.id, admin: adminUser.id })).toEqual(
      same(pageStatusErrorXml('User was not found')),
    );
  });
});

describe('routing: an LCR, a provider rule or a location rule of another realm answers like a missing one', () => {
  it('lcr_update, lcr_delete, lcr_add_provider, lcr_delete_provider', async () => {
    const lcr = (owner: number) => createLcr(api.handle, owner, fresh('lcr')).then((l) => l.id);
    const ids = { other: await lcr(B.id), admin: await lcr(0) };
    const mine = await createProvider(api.handle, A.id, { name: fresh('prov') });
    const noLcrs = same(pageErrorXml('No LCRs found'));
    expect(await answers((id) => call('lcr_update', { lcr_id: id, name: 'x' }, ['u', 'lcr_id']), ids)).toEqual(noLcrs);
    expect(await answers((id) => call('lcr_delete', { lcr_id: id }, ['u', 'lcr_id']), ids)).toEqual(noLcrs);
    const link = (method: string) => (id: string) =>
      call(method, { lcr_id: id, provider_id: String(mine.id) }, ['u', 'lcr_id', 'provider_id']);
    expect(await answers(link('lcr_add_provider'), ids)).toEqual(noLcrs);
    expect(await answers(link('lcr_delete_provider'), ids)).toEqual(noLcrs);
    // A provider of another realm, on the own LCR.
    const own = await lcr(A.id);
    const other = await createProvider(api.handle, B.id, { name: fresh('prov') });
    const admins = await createProvider(api.handle, 0, { name: fresh('prov') });
    const add = (id: string) =>
      call('lcr_add_provider', { lcr_id: String(own), provider_id: id }, ['u', 'lcr_id', 'provider_id']);
    const notAdded = `${XML_DECL}\n<page>\n  <error>Provider was not added</error>\n  <message>Provider was not found</message>\n</page>\n`;
    expect(await answers(add, { other: other.id, admin: admins.id })).toEqual(same(notAdded));
    expect(await call('lcrs_get', {}, ['u'])).toContain(`<id>${own}</id>`);
    expect(await call('lcrs_get', {}, ['u'])).not.toContain(`<id>${ids.other}</id>`);
  });

  it('provider_rules_get, provider_rule_create, provider_rule_delete', async () => {
    const other = await createProvider(api.handle, B.id, { name: fresh('prov') });
    const admin = await createProvider(api.handle, 0, { name: fresh('prov') });
    const ids = { other: other.id, admin: admin.id };
    expect(await answers((id) => call('provider_rules_get', { provider_id: id }, ['provider_id']), ids)).toEqual(
      same(pageErrorXml('Provider was not found')),
    );
    const create = (id: string) =>
      call('provider_rule_create', { provider_id: id, name: 'r', cut: '1' }, ['provider_id', 'name', 'cut', 'add']);
    expect(await answers(create, ids)).toEqual(same(pageErrorXml('Provider was not found')));
    const ruleOf = async (p: number) =>
      (
        await queryRows<{ id: number }>(
          api.handle.db,
          sql`insert into provider_rules (provider_id, name, cut) values (${p}, 'r', '1') returning id`,
        )
      )[0]!.id;
    const rules = { other: await ruleOf(other.id), admin: await ruleOf(admin.id) };
    expect(
      await answers((id) => call('provider_rule_delete', { provider_rule_id: id }, ['provider_rule_id']), rules),
    ).toEqual(same(pageErrorXml('Provider rule was not found')));
  });

  it('location_rules_get, location_rule_get/update/delete/copy/create', async () => {
    const other = await createLocation(api.handle, B.id);
    const admin = await createLocation(api.handle, 0);
    const mine = await createLocation(api.handle, A.id);
    expect(
      await answers((id) => call('location_rules_get', { location_id: id }, ['location_id']), {
        other: other.id,
        admin: admin.id,
      }),
    ).toEqual(same(pageStatusErrorXml('Location was not found')));
    const ruleIn = async (loc: number) =>
      (
        await queryRows<{ id: number }>(
          api.handle.db,
          sql`insert into location_rules (location_id, name, cut) values (${loc}, 'r', ${fresh('9')}) returning id`,
        )
      )[0]!.id;
    const rules = { other: await ruleIn(other.id), admin: await ruleIn(admin.id) };
    const byRule =
      (method: string, extra: Record<string, string> = {}) =>
      (id: string) =>
        call(method, { location_rule_id: id, ...extra }, ['location_rule_id']);
    expect(await answers(byRule('location_rule_get'), rules)).toEqual(
      same(pageStatusErrorXml('Location rule was not found')),
    );
    expect(await answers(byRule('location_rule_update', { name: 'x' }), rules)).toEqual(
      same(pageStatusErrorXml('Location rule was not found')),
    );
    expect(await answers(byRule('location_rule_delete'), rules)).toEqual(
      same(pageStatusErrorXml('Rule was not found')),
    );
    const copy = (id: string) =>
      call('location_rule_copy', { location_rule_id: id, location_id: String(mine.id) }, [
        'location_rule_id',
        'location_id',
      ]);
    expect(await answers(copy, rules)).toEqual(same(pageStatusErrorXml('Location rule was not found')));
    // Writing into a location of another realm: the page's distinct "Location error".
    const create = (id: string) =>
      call('location_rule_create', { location_id: id, name: 'n', cut: '1' }, ['location_id']);
    expect(await answers(create, { other: other.id, admin: admin.id })).toEqual(
      distinct(pageStatusErrorXml('Location error'), pageStatusErrorXml('Location not found')),
    );
  });
});

describe('number pools: a pool of another realm answers like a missing one', () => {
  it('number_pools_get, number_pool_update, number_pool_numbers_create/delete, number_pool_delete', async () => {
    const pool = async (who: Account | null) => {
      const body = await (who
        ? call('number_pool_create', { name: fresh('pool') }, [], who)
        : api.call('number_pool_create', { u: 'admin', name: fresh('pool') }).then((r) => r.body));
      return Number(/<number_pool_id>(\d+)</.exec(body)?.[1]);
    };
    const ids = { other: await pool(B), admin: await pool(null) };
    const notFound = same(pageStatusErrorXml('Number Pool was not found'));
    const asks: ((id: string) => Promise<string>)[] = [
      (id) => call('number_pools_get', { number_pool_id: id }, []),
      (id) => call('number_pool_update', { number_pool_id: id, name: fresh('x') }, []),
      (id) => call('number_pool_numbers_create', { number_pool_id: id, numbers: '1' }, []),
      (id) => call('number_pool_numbers_delete', { number_pool_id: id, delete_all: '1' }, []),
      (id) => call('number_pool_delete', { number_pool_id: id }, []),
    ];
    for (const ask of asks) expect(await answers(ask, ids)).toEqual(notFound);
  });
});

describe('vouchers: only the admin realm spends them', () => {
  it('voucher_use: a user of either reseller answers like a missing user', async () => {
    await setConflines(api.handle, 0, { vouchers_enabled: '1' });
    const ask = (id: string) =>
      api
        .call('voucher_use', { u: 'admin', voucher_number: '1', user_id: id }, { hashOf: ['voucher_number'] })
        .then((r) => r.body);
    expect(await answers(ask, { other: userB.id, admin: userA.id })).toEqual(same(pageErrorXml('User was not found')));
  });
});

describe('ivr: a time period or IVR dial plan of another realm answers like a missing one', () => {
  it('ivr_time_period_update and ivr_dial_plan_update (the plan, and a period named in a slot)', async () => {
    const [b, admin] = [await callerAs(api, B.username), await callerAs(api, 'admin')];
    const periods = {
      other: (await b.ivr.createTimePeriod({ name: 'b' })).id,
      admin: (await admin.ivr.createTimePeriod({ name: 'a' })).id,
    };
    const plans = {
      other: (await b.ivr.createDialPlan({ name: 'b' })).id,
      admin: (await admin.ivr.createDialPlan({ name: 'a' })).id,
    };
    const period = (id: string) =>
      call('ivr_time_period_update', { ivr_time_period_id: id, name: 'x' }, ['u', 'ivr_time_period_id']);
    expect(await answers(period, periods)).toEqual(same(pageStatusErrorXml('Time period was not found')));
    const plan = (id: string) => call('ivr_dial_plan_update', { ivr_dial_plan_id: id }, ['u', 'ivr_dial_plan_id']);
    expect(await answers(plan, plans)).toEqual(same(pageStatusErrorXml('Dial plan was not found')));
    const mine = (await (await callerAs(api, A.username)).ivr.createDialPlan({ name: 'a' })).id;
    const slot = (id: string) =>
      call('ivr_dial_plan_update', { ivr_dial_plan_id: String(mine), time_period1: id }, ['u', 'ivr_dial_plan_id']);
    expect(await answers(slot, periods)).toEqual(same(pageStatusErrorXml('time_period1 was not found')));
  });
});
