import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { dids } from '../../src/db/schema/dids.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createProvider, insertDevice, insertDid } from '../helpers/factories.ts';
import { callAs, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let n = 0;
const nextNumber = () => `3706200${String(++n).padStart(4, '0')}`;
const didRow = async (id: number) => (await api.handle.db.select().from(dids).where(eq(dids.id, id)))[0]!;
const UPDATED = pageSuccessXml('DID details successfully updated');
const CLOSED = pageSuccessXml('DID was successfully closed');

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('did_details_update', () => {
  it('verifies the seed example (did_id 6511, key secret) and writes an action-log row', async () => {
    await insertDid(api.handle, { id: 6511, did: nextNumber() });
    const res = await api.call(
      'did_details_update',
      { u: 'admin', did_id: '6511', call_limit: '999' },
      { hash: 'f7de355c9b4421ce6c705b4b32c89dbcaca51e46' },
    );
    expect(res.body).toBe(UPDATED);
    expect((await didRow(6511)).callLimit).toBe(999);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'did_edited'));
    expect(log).toMatchObject({ userId: 0, targetType: 'did', targetId: 6511 });
  });

  it('serves the seed URL as the page writes it, with a double slash (/billing//api/...)', async () => {
    await insertDid(api.handle, { id: 6512, did: nextNumber() });
    const res = await api.call(
      'did_details_update',
      { u: 'admin', did_id: '6512', call_limit: '998' },
      { prefix: '/billing//api', hashOf: ['did_id'] },
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe(UPDATED);
    expect((await didRow(6512)).callLimit).toBe(998);
  });

  it('updates the latest fields; hashes did_id only', async () => {
    const provider = await createProvider(api.handle, 0);
    const did = await insertDid(api.handle, { did: nextNumber() });
    const p = {
      did_id: String(did.id),
      grace_time: '30',
      language: 'LT',
      active_from: '1700000000',
      active_till: '1800000000',
      did_provider_id: String(provider.id),
      custom_sip_header: 'X-A: 1',
      comment: 'main',
      reseller_comment: 'res',
    };
    expect(await call('did_details_update', 'admin', p, ['did_id', 'grace_time'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('did_details_update', 'admin', p, ['did_id'])).toBe(UPDATED);
    const row = await didRow(did.id);
    expect(row).toMatchObject({
      graceTime: 30,
      language: 'lt',
      providerId: provider.id,
      customSipHeader: 'X-A: 1',
      comment: 'main',
      resellerComment: 'res',
    });
    expect(row.activeFrom?.toISOString()).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it('hands a free DID to a reseller, who reserves it for its user; -1 frees it', async () => {
    const did = await insertDid(api.handle, { did: nextNumber() });
    const id = String(did.id);
    expect(
      await call('did_details_update', 'admin', { did_id: id, did_user_id: String(w.resellerA.id) }, ['did_id']),
    ).toBe(UPDATED);
    expect(await didRow(did.id)).toMatchObject({ status: 'free', resellerId: w.resellerA.id });
    expect(await call('did_details_update', w.resellerB.username, { did_id: id, call_limit: '1' }, ['did_id'])).toBe(
      pageStatusErrorXml('DID was not found'),
    );
    const r = w.resellerA.username;
    expect(await call('did_details_update', r, { did_id: id, did_user_id: String(w.userB.id) }, ['did_id'])).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect(await call('did_details_update', r, { did_id: id, did_user_id: String(w.resellerB.id) }, ['did_id'])).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect(await call('did_details_update', r, { did_id: id, did_user_id: String(w.userA.id) }, ['did_id'])).toBe(
      UPDATED,
    );
    expect(await didRow(did.id)).toMatchObject({ status: 'reserved', userId: w.userA.id, resellerId: w.resellerA.id });
    expect(await call('did_details_update', r, { did_id: id, did_user_id: String(w.userA.id) }, ['did_id'])).toBe(
      UPDATED,
    );
    expect(
      await call('did_details_update', 'admin', { did_id: id, did_user_id: String(w.adminUser.id) }, ['did_id']),
    ).toBe(pageStatusErrorXml('DID is not free'));
    expect(await call('did_details_update', r, { did_id: id, did_user_id: '-1' }, ['did_id'])).toBe(UPDATED);
    expect(await didRow(did.id)).toMatchObject({ status: 'free', userId: 0, resellerId: w.resellerA.id });
    expect(await call('did_details_update', 'admin', { did_id: id, did_user_id: '-1' }, ['did_id'])).toBe(UPDATED);
    expect(await didRow(did.id)).toMatchObject({ status: 'free', resellerId: 0 });
  });

  it('answers the documented errors and changes nothing on a validation error', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const active = await insertDid(api.handle, {
      did: nextNumber(),
      status: 'active',
      deviceId: device.id,
      callLimit: 2,
    });
    const id = String(active.id);
    const cases: [string, Record<string, string>, string][] = [
      ['nobody', { did_id: id }, 'Access Denied'],
      [w.userA.username, { did_id: id }, 'Access Denied'],
      [w.accountantNone.username, { did_id: id }, 'Access Denied'],
      [w.accountantRead.username, { did_id: id }, 'Access Denied'],
      ['admin', { did_id: '999999' }, 'DID was not found'],
      [w.resellerA.username, { did_id: id }, 'DID was not found'],
      ['admin', { did_id: id, call_limit: '-1' }, 'Call limit is incorrect format'],
      ['admin', { did_id: id, call_limit: 'x' }, 'Call limit is incorrect format'],
      ['admin', { did_id: id, grace_time: '1.5' }, 'Grace time is incorrect format'],
      ['admin', { did_id: id, active_from: 'yesterday' }, 'Active from is incorrect format'],
      ['admin', { did_id: id, language: 'english' }, 'Language is incorrect format'],
      ['admin', { did_id: id, did_provider_id: '99999' }, 'Provider was not found'],
      ['admin', { did_id: id, did_user_id: '999999' }, 'User was not found'],
      ['admin', { did_id: id, did_user_id: String(w.accountant.id) }, 'User was not found'],
      ['admin', { did_id: id, did_user_id: String(w.adminUser.id) }, 'DID is not free'],
      [
        'admin',
        { did_id: id, did_user_id: '-1', comment: 'x' },
        'DID was not freed. Only Terminated, Reserved or Closed DIDs can be freed',
      ],
    ];
    for (const [u, p, message] of cases)
      expect(await call('did_details_update', u, p, ['did_id'])).toBe(pageStatusErrorXml(message));
    expect(await didRow(active.id)).toMatchObject({ callLimit: 2, comment: '', status: 'active' });
    expect(await call('did_details_update', w.accountant.username, { did_id: id, call_limit: '3' }, ['did_id'])).toBe(
      UPDATED,
    );
  });
});

describe('did_subscription_stop', () => {
  it('closes an active DID for 90 days, keeping its user; hash sha1(did_id + key), dids_id accepted', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    const did = await insertDid(api.handle, {
      did: nextNumber(),
      status: 'active',
      deviceId: device.id,
      userId: w.userA.id,
      resellerId: w.resellerA.id,
    });
    expect(await call('did_subscription_stop', w.resellerA.username, { did_id: String(did.id) }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('did_subscription_stop', w.resellerA.username, { did_id: String(did.id) }, ['did_id'])).toBe(
      CLOSED,
    );
    const row = await didRow(did.id);
    expect(row).toMatchObject({ status: 'closed', userId: w.userA.id, deviceId: 0 });
    const days = (row.closedTill!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    const second = await insertDid(api.handle, { did: nextNumber(), status: 'active', deviceId: device.id });
    expect(await call('did_subscription_stop', 'admin', { dids_id: String(second.id) }, ['dids_id'])).toBe(CLOSED);
  });

  it('answers DID is not assigned to Device, DID was not found and Access Denied', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const free = await insertDid(api.handle, { did: nextNumber() });
    const active = await insertDid(api.handle, { did: nextNumber(), status: 'active', deviceId: device.id });
    const cases: [string, string, string][] = [
      ['nobody', String(active.id), 'Access Denied'],
      [w.userA.username, String(active.id), 'Access Denied'],
      [w.accountantRead.username, String(active.id), 'Access Denied'],
      ['admin', '999999', 'DID was not found'],
      [w.resellerB.username, String(active.id), 'DID was not found'],
      ['admin', String(free.id), 'DID is not assigned to Device'],
    ];
    for (const [u, id, message] of cases) {
      expect(await call('did_subscription_stop', u, { did_id: id }, ['did_id'])).toBe(pageStatusErrorXml(message));
    }
    expect(await call('did_subscription_stop', w.accountant.username, { did_id: String(active.id) }, ['did_id'])).toBe(
      CLOSED,
    );
    expect(await call('did_subscription_stop', 'admin', { did_id: String(active.id) }, ['did_id'])).toBe(
      pageStatusErrorXml('DID is not assigned to Device'),
    );
  });
});
