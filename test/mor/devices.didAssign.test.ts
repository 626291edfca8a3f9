import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { devices } from '../../src/db/schema/devices.ts';
import { dids } from '../../src/db/schema/dids.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createDialplan, insertDevice, insertDid } from '../helpers/factories.ts';
import { callAs, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let n = 0;
const nextNumber = () => `3706100${String(++n).padStart(4, '0')}`;
const didRow = async (id: number) => (await api.handle.db.select().from(dids).where(eq(dids.id, id)))[0]!;
const ASSIGNED = pageSuccessXml('Device assigned to DID');
const UNASSIGNED = pageSuccessXml('Device was unassigned from DID');
const H = ['device_id', 'did'];

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('did_device_assign', () => {
  it('puts a free DID on a device: active, owned by the device user, primary DID of the device', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const did = await insertDid(api.handle, { did: nextNumber() });
    const p = { device_id: String(device.id), did: did.did };
    expect(await call('did_device_assign', 'admin', p, ['device_id'])).toBe(statusErrorXml('Incorrect hash'));
    expect(await call('did_device_assign', 'admin', p, H)).toBe(ASSIGNED);
    expect(await didRow(did.id)).toMatchObject({ status: 'active', deviceId: device.id, userId: w.adminUser.id });
    const [dev] = await api.handle.db.select().from(devices).where(eq(devices.id, device.id));
    expect(dev!.primaryDidId).toBe(did.id);
    const logs = await api.handle.db.select().from(actions).where(eq(actions.action, 'did_assigned'));
    expect(logs.some((l) => l.targetId === did.id)).toBe(true);
  });

  it('is served as did_assign_device and assigns a DID reserved for the device user', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const did = await insertDid(api.handle, { did: nextNumber(), status: 'reserved', userId: w.adminUser.id });
    expect(await call('did_assign_device', 'admin', { device_id: String(device.id), did: did.did }, H)).toBe(ASSIGNED);
  });

  it('keeps DID realms apart: admin pool to admin users, a reseller DID to that reseller and its users', async () => {
    const deviceA = await insertDevice(api.handle, w.userA.id);
    const deviceB = await insertDevice(api.handle, w.userB.id);
    const deviceAdmin = await insertDevice(api.handle, w.adminUser.id);
    const pool = await insertDid(api.handle, { did: nextNumber() });
    const forA = await insertDid(api.handle, { did: nextNumber(), resellerId: w.resellerA.id });
    const forB = await insertDid(api.handle, { did: nextNumber(), resellerId: w.resellerB.id });
    const ra = w.resellerA.username;
    const assign = (u: string, device: number, did: string) =>
      call('did_device_assign', u, { device_id: String(device), did }, H);
    // Objects of another realm get the page's distinct strings (test/mor/realms.test.ts has the rule).
    expect(await assign(ra, deviceB.id, forA.did)).toBe(
      pageStatusErrorXml('Your are not authorized to use this Device'),
    );
    expect(await assign(ra, deviceA.id, forB.did)).toBe(pageStatusErrorXml('Your are not authorized to use this DID'));
    // Both outside: the DID is checked first (page order).
    expect(await assign(ra, deviceB.id, forB.did)).toBe(pageStatusErrorXml('Your are not authorized to use this DID'));
    expect(await assign(ra, deviceA.id, pool.did)).toBe(pageStatusErrorXml('Your are not authorized to use this DID'));
    expect(await assign('admin', deviceA.id, pool.did)).toBe(
      pageStatusErrorXml('Your are not authorized to use this Device'),
    );
    expect(await assign('admin', deviceAdmin.id, forA.did)).toBe(
      pageStatusErrorXml('Your are not authorized to use this Device'),
    );
    expect(await assign(ra, deviceA.id, forA.did)).toBe(ASSIGNED);
    expect(await didRow(forA.id)).toMatchObject({ status: 'active', userId: w.userA.id, resellerId: w.resellerA.id });
  });

  it('answers the documented errors', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const other = await insertDevice(api.handle, w.adminUser.id);
    const d = String(device.id);
    const terminated = await insertDid(api.handle, { did: nextNumber(), status: 'terminated' });
    const busy = await insertDid(api.handle, {
      did: nextNumber(),
      status: 'active',
      deviceId: other.id,
      userId: w.adminUser.id,
    });
    const reserved = await insertDid(api.handle, { did: nextNumber(), status: 'reserved', userId: w.userA.id });
    const free = await insertDid(api.handle, { did: nextNumber() });
    const cases: [string, Record<string, string>, string][] = [
      ['nobody', { device_id: d, did: free.did }, 'Access Denied'],
      [w.userA.username, { device_id: d, did: free.did }, 'Access Denied'],
      [w.accountantNone.username, { device_id: d, did: free.did }, 'You are not authorized to manage DIDs'],
      [w.accountantRead.username, { device_id: d, did: free.did }, 'You are not authorized to manage DIDs'],
      ['admin', { device_id: '999999', did: free.did }, 'Device was not found'],
      ['admin', { device_id: d, did: '000' }, 'DID was not found'],
      ['admin', { device_id: d, did: 'abc' }, 'DID was not found'],
      ['admin', { device_id: d, did: terminated.did }, 'DID is terminated'],
      ['admin', { device_id: d, did: busy.did }, 'DID is not free'],
      ['admin', { device_id: d, did: reserved.did }, 'DID is not free'],
    ];
    for (const [u, p, message] of cases)
      expect(await call('did_device_assign', u, p, H)).toBe(pageStatusErrorXml(message));
    expect(await didRow(free.id)).toMatchObject({ status: 'free', deviceId: 0 });
    expect(await call('did_device_assign', w.accountant.username, { device_id: d, did: free.did }, H)).toBe(ASSIGNED);
  });
});

describe('did_device_unassign', () => {
  it('frees an active DID; a reseller DID stays with the reseller; the primary DID is cleared', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    const did = await insertDid(api.handle, { did: nextNumber(), resellerId: w.resellerA.id });
    await call('did_device_assign', w.resellerA.username, { device_id: String(device.id), did: did.did }, H);
    expect(await call('did_device_unassign', w.resellerA.username, { did: did.did }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await call('did_device_unassign', w.resellerA.username, { did: did.did }, ['did'])).toBe(UNASSIGNED);
    expect(await didRow(did.id)).toMatchObject({ status: 'free', deviceId: 0, userId: 0, resellerId: w.resellerA.id });
    const [dev] = await api.handle.db.select().from(devices).where(eq(devices.id, device.id));
    expect(dev!.primaryDidId).toBe(0);
  });

  it('is served as did_unassign_device, also with did_id hashed in place of did', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const did = await insertDid(api.handle, {
      did: nextNumber(),
      status: 'active',
      deviceId: device.id,
      userId: w.adminUser.id,
    });
    expect(await call('did_unassign_device', 'admin', { did_id: String(did.id) }, ['did_id'])).toBe(UNASSIGNED);
  });

  it('hashes only did when did and did_id are both sent', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const number = nextNumber();
    const did = await insertDid(api.handle, {
      did: number,
      status: 'active',
      deviceId: device.id,
      userId: w.adminUser.id,
    });
    const both = { did: number, did_id: String(did.id) };
    expect(await call('did_device_unassign', 'admin', both, ['did', 'did_id'])).toBe(statusErrorXml('Incorrect hash'));
    expect(await call('did_device_unassign', 'admin', both, ['did'])).toBe(UNASSIGNED);
  });

  it('answers the documented errors', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const active = await insertDid(api.handle, {
      did: nextNumber(),
      status: 'active',
      deviceId: device.id,
      userId: w.adminUser.id,
    });
    const terminated = await insertDid(api.handle, { did: nextNumber(), status: 'terminated' });
    const free = await insertDid(api.handle, { did: nextNumber() });
    const plan = await createDialplan(api.handle);
    const planned = await insertDid(api.handle, { did: nextNumber(), dialplanId: plan.id, status: 'active' });
    const forB = await insertDid(api.handle, {
      did: nextNumber(),
      resellerId: w.resellerB.id,
      status: 'active',
      deviceId: device.id,
    });
    const cases: [string, string, string][] = [
      ['nobody', active.did, 'Access Denied'],
      [w.userA.username, active.did, 'Access Denied'],
      [w.accountantNone.username, active.did, 'You are not authorized to manage DIDs'],
      ['admin', '999', 'DID was not found'],
      [w.resellerA.username, forB.did, 'Your are not authorized to use this DID'],
      [w.resellerA.username, active.did, 'Your are not authorized to use this DID'],
      ['admin', terminated.did, 'DID is terminated'],
      ['admin', free.did, 'DID is already free'],
      ['admin', planned.did, 'DID is assigned to dialplan'],
    ];
    for (const [u, did, message] of cases) {
      expect(await call('did_device_unassign', u, { did }, ['did'])).toBe(pageStatusErrorXml(message));
    }
    expect(await call('did_device_unassign', w.accountant.username, { did: active.did }, ['did'])).toBe(UNASSIGNED);
  });
});
