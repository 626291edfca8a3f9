import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../src/db/partitioned/calls.ts';
import { actions } from '../../src/db/schema/actions.ts';
import { callerids } from '../../src/db/schema/clis.ts';
import { callflows, devices, locationRules, queueMembers } from '../../src/db/schema/devices.ts';
import { dids } from '../../src/db/schema/dids.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createDialplan, insertCli, insertDevice, insertDid } from '../helpers/factories.ts';
import { callAs, makeWorld, pageStatusXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
const DELETED = pageStatusXml('Device was deleted');
const exists = async (id: number) => (await api.handle.db.select().from(devices).where(eq(devices.id, id))).length > 0;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('device_delete', () => {
  it('deletes a device with its CLIs and call flow and frees its DIDs', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    await insertCli(api.handle, device.id, { cli: '37011100001' });
    await api.handle.db.insert(callflows).values({ deviceId: device.id, cfType: 'busy', action: 'voicemail' });
    const did = await insertDid(api.handle, {
      did: '37099900001',
      status: 'active',
      deviceId: device.id,
      userId: w.adminUser.id,
    });
    expect(await call('device_delete', 'admin', { device: String(device.id) }, ['device'])).toBe(DELETED);
    expect(await exists(device.id)).toBe(false);
    expect(await api.handle.db.select().from(callerids).where(eq(callerids.deviceId, device.id))).toHaveLength(0);
    expect(await api.handle.db.select().from(callflows).where(eq(callflows.deviceId, device.id))).toHaveLength(0);
    const [freed] = await api.handle.db.select().from(dids).where(eq(dids.id, did.id));
    expect(freed).toMatchObject({ status: 'free', deviceId: 0, userId: 0 });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'device_deleted'));
    expect(log).toMatchObject({ userId: 0, targetId: device.id });
  });

  it('verifies the documented example: sha1("123" + "456789")', async () => {
    await insertDevice(api.handle, w.adminUser.id, { id: 123 });
    const res = await api.call(
      'device_delete',
      { u: 'admin', device: '123' },
      { key: '456789', hash: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441' },
    );
    // The test admin key is "secret", so the documented digest (key 456789) must be refused…
    expect(res.body).toBe(statusErrorXml('Incorrect hash'));
    // …and sha1(device + key) accepted.
    expect(await call('device_delete', 'admin', { device: '123' }, ['device'])).toBe(DELETED);
  });

  it('is served under the old names device_destroy and delete_device', async () => {
    for (const name of ['device_destroy', 'delete_device']) {
      const device = await insertDevice(api.handle, w.adminUser.id);
      expect(await call(name, 'admin', { device: String(device.id) }, ['device'])).toBe(DELETED);
    }
  });

  it('answers Access Denied to unknown callers and simple users, the functionality error to accountants without write', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    const p = { device: String(device.id) };
    expect(await call('device_delete', 'nobody', p, ['device'])).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('device_delete', w.userA.username, p, ['device'])).toBe(pageStatusErrorXml('Access Denied'));
    const denied = pageStatusErrorXml('You are not authorized to use this functionality');
    expect(await call('device_delete', w.accountantNone.username, p, ['device'])).toBe(denied);
    expect(await call('device_delete', w.accountantRead.username, p, ['device'])).toBe(denied);
    expect(await call('device_delete', w.accountant.username, p, ['device'])).toBe(DELETED);
  });

  it("hides other resellers' devices: Device was not found", async () => {
    const mine = await insertDevice(api.handle, w.userA.id);
    const theirs = await insertDevice(api.handle, w.userB.id);
    const notFound = pageStatusErrorXml('Device was not found');
    expect(await call('device_delete', w.resellerA.username, { device: String(theirs.id) }, ['device'])).toBe(notFound);
    expect(await call('device_delete', w.resellerA.username, { device: '999999' }, ['device'])).toBe(notFound);
    expect(await call('device_delete', w.resellerA.username, { device: 'x' }, ['device'])).toBe(notFound);
    expect(await exists(theirs.id)).toBe(true);
    expect(await call('device_delete', w.resellerA.username, { device: String(mine.id) }, ['device'])).toBe(DELETED);
  });

  it('refuses while something uses the device, first blocker wins, and changes nothing', async () => {
    const target = await insertDevice(api.handle, w.adminUser.id);
    const other = await insertDevice(api.handle, w.adminUser.id);
    const del = () => call('device_delete', 'admin', { device: String(target.id) }, ['device']);
    await api.handle.db.insert(callflows).values({
      deviceId: other.id,
      cfType: 'before_call',
      action: 'fax_detect',
      data: String(target.id),
      data2: 'fax',
    });
    await api.handle.db
      .insert(callflows)
      .values({ deviceId: other.id, cfType: 'busy', action: 'forward', data: String(target.id), data2: 'local' });
    const cases: [() => Promise<unknown>, string][] = [
      [
        () => api.handle.db.delete(callflows).where(eq(callflows.cfType, 'before_call')),
        'Unable to delete this device - it is used in Call Flow for Fax Detect',
      ],
      [
        () => api.handle.db.delete(callflows).where(eq(callflows.cfType, 'busy')),
        'Device has forwarded calls - we cannot delete it',
      ],
    ];
    for (const [unblock, message] of cases) {
      expect(await del()).toBe(pageStatusErrorXml(message));
      await unblock();
    }
    await api.handle.db.execute(sql`select openmor_calls_partition(now())`);
    await api.handle.db.insert(calls).values({
      userId: w.adminUser.id,
      calldate: new Date(),
      uniqueid: 'device-delete-1',
      disposition: 'ANSWERED',
      ratingStatus: 'rated',
      dstDeviceId: target.id,
    });
    expect(await del()).toBe(
      pageStatusErrorXml(
        "Cannot delete device - it has calls. You can only hide device's user. Why is that and how to do that - please read in manual.",
      ),
    );
    await api.handle.db.execute(sql`delete from calls`);
    const plan = await createDialplan(api.handle, { dptype: 'callback', deviceId: target.id });
    expect(await del()).toBe(pageStatusErrorXml('Device has Dial Plans - we cannot delete it'));
    await api.handle.db.execute(sql`delete from dialplans where id = ${plan.id}`);
    await api.handle.db.insert(locationRules).values({ locationId: 1, deviceId: target.id });
    expect(await del()).toBe(pageStatusErrorXml('One or more Location rules are using this Device'));
    await api.handle.db.delete(locationRules);
    await api.handle.db.insert(queueMembers).values({ queueId: 1, deviceId: target.id, role: 'agent' });
    expect(await del()).toBe(pageStatusErrorXml('Cannot delete device - it is assigned to Queue'));
    expect(await exists(target.id)).toBe(true);
    await api.handle.db.delete(queueMembers);
    expect(await del()).toBe(DELETED);
  });
});
