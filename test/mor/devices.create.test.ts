import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { devicegroups, devices } from '../../src/db/schema/devices.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertDevice, setConflines } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
const HASH = ['user_id', 'description', 'pin', 'type', 'devicegroup_id', 'caller_id'];

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
});

const created = (id: number, username: string, password: string) =>
  `${DECL}\n<page>\n  <status>Device created</status>\n  <id>${id}</id>\n  <username>${username}</username>\n  <password>${password}</password>\n</page>\n`;
const deviceCount = async () => (await api.handle.db.select({ n: count() }).from(devices))[0]!.n;
const deviceOf = async (body: string) => {
  const id = Number(/<id>(\d+)<\/id>/.exec(body)?.[1]);
  const [row] = await api.handle.db.select().from(devices).where(eq(devices.id, id));
  return row!;
};

describe('device_create', () => {
  it('creates a dynamic device with a strong random secret and answers id, username and password', async () => {
    const body = await call('device_create', 'admin', { user_id: String(w.adminUser.id), description: 'desk' }, HASH);
    const device = await deviceOf(body);
    expect(body).toBe(created(device.id, device.username, device.secret));
    expect(device).toMatchObject({ userId: w.adminUser.id, host: 'dynamic', deviceType: 'SIP', description: 'desk' });
    expect(device.username).toBe(device.extension);
    expect(device.name).toBe(device.extension);
    expect(device.secret).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(device.secret).not.toBe(device.username);
    expect(device.pin).toMatch(/^\d{6}$/);
    expect(device.accountcode).toBe(device.id);
  });

  it('verifies the documented example: sha1("2desription13secret")', async () => {
    expect(w.resellerB.id).toBe(2);
    const res = await api.call(
      'device_create',
      { u: 'admin', user_id: '2', description: 'desription1', pin: '3' },
      { hash: '6e79d4a82f68102f43be11d873177f47817f84df' },
    );
    const device = await deviceOf(res.body);
    expect(res.body).toBe(created(device.id, device.username, device.secret));
    expect(device.pin).toBe('3');
  });

  it('hashes user_id, description, pin, type, devicegroup_id, caller_id in that order', async () => {
    const [group] = await api.handle.db.insert(devicegroups).values({ userId: w.adminUser.id, name: 'g' }).returning();
    const params = {
      user_id: String(w.adminUser.id),
      description: 'd',
      pin: '',
      type: 'IAX2',
      devicegroup_id: String(group!.id),
      caller_id: '37060000001',
      extension: 'ext1',
    };
    const wrong = await call('device_create', 'admin', params, [...HASH].reverse());
    expect(wrong).toBe(statusErrorXml('Incorrect hash'));
    const device = await deviceOf(await call('device_create', 'admin', params, HASH));
    expect(device).toMatchObject({
      deviceType: 'IAX2',
      port: 4569,
      pin: '',
      devicegroupId: group!.id,
      extension: 'ext1',
    });
    expect(device.callerid).toBe('"" <37060000001>');
  });

  it('is refused to unknown callers, simple users and accountants without Devices write', async () => {
    const p = { user_id: String(w.adminUser.id) };
    expect(await call('device_create', 'nobody', p, ['user_id'])).toBe(pageErrorXml('Access Denied'));
    expect((await api.call('device_create', p, { hashOf: ['user_id'] })).body).toBe(pageErrorXml('Access Denied'));
    expect(await call('device_create', w.userA.username, { user_id: String(w.userA.id) }, ['user_id'])).toBe(
      pageErrorXml('Access Denied'),
    );
    const denied = pageErrorXml('You are not authorized to use this functionality');
    expect(await call('device_create', w.accountantNone.username, p, ['user_id'])).toBe(denied);
    expect(await call('device_create', w.accountantRead.username, p, ['user_id'])).toBe(denied);
    expect(await call('device_create', w.accountant.username, p, ['user_id'])).toMatch(/<status>Device created/);
  });

  it("lets a reseller create for itself and its users, never for another reseller's user", async () => {
    expect(await call('device_create', w.resellerA.username, { user_id: String(w.userA.id) }, ['user_id'])).toMatch(
      /<status>Device created/,
    );
    expect(await call('device_create', w.resellerA.username, { user_id: String(w.resellerA.id) }, ['user_id'])).toMatch(
      /<status>Device created/,
    );
    for (const id of [w.userB.id, w.resellerB.id, w.adminUser.id]) {
      expect(await call('device_create', w.resellerA.username, { user_id: String(id) }, ['user_id'])).toBe(
        pageErrorXml('User was not found'),
      );
    }
  });

  it('answers User was not found for missing users, the admin and accountants', async () => {
    for (const id of ['999999', '0', String(w.accountant.id), 'abc']) {
      expect(await call('device_create', 'admin', { user_id: id }, ['user_id'])).toBe(
        pageErrorXml('User was not found'),
      );
    }
  });

  it('validates type, device group, pin, then the rest, first failure wins, and creates nothing', async () => {
    const before = await deviceCount();
    const taken = await insertDevice(api.handle, w.adminUser.id, { pin: '424242', extension: 'taken1' });
    const u = String(w.adminUser.id);
    const cases: [Record<string, string>, string][] = [
      [{ type: 'Skype', pin: 'x' }, pageErrorXml('Device type invalid')],
      [{ devicegroup_id: '9999', pin: 'x' }, pageErrorXml('Device group invalid')],
      [{ pin: '12a' }, pageErrorXml('Pin must be numeric')],
      [{ pin: taken.pin }, pageErrorXml('Pin is already used')],
    ];
    for (const [params, expected] of cases) {
      expect(await call('device_create', 'admin', { user_id: u, ...params }, HASH)).toBe(expected);
    }
    const body = await call(
      'device_create',
      'admin',
      { user_id: u, extension: 'taken1', call_timeout: '-5', caller_id: 'abc' },
      HASH,
    );
    expect(body).toBe(
      `${DECL}\n<page>\n  <error>Device was not created</error>\n  <message>Extension is already used</message>\n  <message>Call timeout is invalid</message>\n  <message>CallerID must be numeric</message>\n</page>\n`,
    );
    expect(await call('device_create', 'admin', { user_id: u, extension: 'Bad Ext' }, HASH)).toMatch(
      /<message>Extension is invalid<\/message>/,
    );
    expect(await deviceCount()).toBe(before + 1);
  });

  it("takes the owner's default device type and the next free extension", async () => {
    await setConflines(api.handle, w.resellerA.id, { default_device_type: 'PJSIP' });
    const body = await call('device_create', w.resellerA.username, { user_id: String(w.userA.id), type: '' }, HASH);
    const device = await deviceOf(body);
    expect(device.deviceType).toBe('PJSIP');
    const next = await deviceOf(await call('device_create', 'admin', { user_id: String(w.adminUser.id) }, HASH));
    expect(BigInt(next.extension)).toBeGreaterThan(BigInt(device.extension));
  });

  it('is served under /api and refuses GET while Allow GET API is off', async () => {
    const res = await api.call(
      'device_create',
      { u: 'admin', user_id: String(w.adminUser.id) },
      { prefix: '/api', hashOf: ['user_id'] },
    );
    expect(res.body).toMatch(/<status>Device created/);
    const get = await api.call(
      'device_create',
      { u: 'admin', user_id: String(w.adminUser.id) },
      { verb: 'GET', hashOf: ['user_id'] },
    );
    expect(get.body).toBe(statusErrorXml('GET Requests are disabled'));
  });
});
