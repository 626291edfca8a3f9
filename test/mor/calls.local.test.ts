import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { type CallsWorld, callsWorld, insertCalls, unix } from '../helpers/calls.ts';
import { insertDevice, nameUser } from '../helpers/factories.ts';
import type { Caller } from '../helpers/money.ts';

const api = useTestApp();
let w: CallsWorld;
const HASH = ['from', 'till', 's_user'];
const PERIOD = { from: unix('2018-10-03T00:00:00Z'), till: unix('2018-10-03T23:59:59Z') };
const get = (as: Caller, params: Record<string, string>, options = {}) =>
  as.call('local_calls_get', params, HASH, options).then((r) => r.body);
const channels = (body: string) => [...body.matchAll(/<orignator_channel>(.*)<\/orignator_channel>/g)].map((m) => m[1]);

beforeAll(async () => {
  w = await callsWorld(api);
  const h = api.handle;
  await nameUser(h, w.u1.id, 'Tom', 'Ford');
  const from = await insertDevice(h, w.user.id, { description: '2 Device Test' });
  const to = await insertDevice(h, w.u1.id, { description: '2 Device Test' });
  const plain = await insertDevice(h, w.u2.id, { name: '104', deviceType: 'IAX2', description: '' });
  await insertCalls(h, [
    {
      userId: w.user.id,
      calldate: '2018-10-03T14:08:52Z',
      callType: 'local',
      src: '8888888888',
      srcDeviceId: from.id,
      dstDeviceId: to.id,
      dstUserId: w.u1.id,
      originatorChannel: 'Local/1003@mor_local-00000003;2',
      terminatorIp: '192.168.0.167',
    },
    // Not local; another day; incoming to user from u2 (IAX2/104).
    { userId: w.user.id, calldate: '2018-10-03T15:00:00Z', originatorChannel: 'outside' },
    { userId: w.user.id, calldate: '2018-10-04T10:00:00Z', callType: 'local', originatorChannel: 'next-day' },
    {
      userId: w.u2.id,
      resellerId: w.r2.id,
      calldate: '2018-10-03T16:00:00Z',
      callType: 'local',
      srcDeviceId: plain.id,
      dstUserId: w.user.id,
      originatorChannel: 'IAX2/104-1',
    },
  ]);
});

describe('local_calls_get', () => {
  it('answers the documented document (misspelt orignator_* tags), system time zone', async () => {
    const body = await get(w.admin, { ...PERIOD, s_user: String(w.u1.id) });
    expect(body).toBe(
      `${XML_DECL}\n<page>\n  <local_calls>\n    <call>\n      <calldate>\n` +
        '        <date>2018-10-03 14:08:52</date>\n        <timezone>GMT +0000</timezone>\n      </calldate>\n' +
        '      <originator_device>2 Device Test</originator_device>\n' +
        '      <originator_caller_id>8888888888</originator_caller_id>\n      <orignator_ip></orignator_ip>\n' +
        '      <orignator_channel>Local/1003@mor_local-00000003;2</orignator_channel>\n' +
        '      <terminator_user>Tom Ford</terminator_user>\n      <terminator_device>2 Device Test</terminator_device>\n' +
        '      <terminator_ip>192.168.0.167</terminator_ip>\n    </call>\n  </local_calls>\n</page>\n',
    );
  });

  it("lists the user's local calls on either side, in the period, oldest first; none is an empty element", async () => {
    const u = String(w.user.id);
    expect(channels(await get(w.admin, { ...PERIOD, s_user: u }))).toEqual([
      'Local/1003@mor_local-00000003;2',
      'IAX2/104-1',
    ]);
    expect(
      await get(w.admin, { from: unix('2019-01-01T00:00:00Z'), till: unix('2019-01-02T00:00:00Z'), s_user: u }),
    ).toBe(`${XML_DECL}\n<page>\n  <local_calls></local_calls>\n</page>\n`);
    // Default period: today (nothing).
    expect(channels(await get(w.admin, { s_user: u }))).toEqual([]);
    // The device without a description is named TYPE/name.
    expect(await get(w.admin, { ...PERIOD, s_user: String(w.u2.id) })).toContain(
      '<originator_device>IAX2/104</originator_device>',
    );
  });

  it('keeps each caller in its realm: User was not found outside it or when s_user is missing', async () => {
    const u = String(w.user.id);
    expect(channels(await get(w.r1, { ...PERIOD, s_user: String(w.u1.id) }))).toEqual([
      'Local/1003@mor_local-00000003;2',
    ]);
    expect(await get(w.r1, { ...PERIOD, s_user: String(w.u2.id) })).toBe(pageStatusErrorXml('User was not found'));
    expect(await get(w.r1, { ...PERIOD, s_user: u })).toBe(pageStatusErrorXml('User was not found'));
    expect(await get(w.admin, { ...PERIOD, s_user: '999999' })).toBe(pageStatusErrorXml('User was not found'));
    expect(await get(w.admin, PERIOD)).toBe(pageStatusErrorXml('User was not found'));
    // A simple user: always itself.
    expect(channels(await get(w.user, { ...PERIOD, s_user: String(w.u1.id) }))).toHaveLength(2);
    expect(channels(await get(w.accFull, { ...PERIOD, s_user: u }))).toHaveLength(2);
    expect(await get(w.accFull, { ...PERIOD, s_user: String(w.u1.id) })).toBe(pageStatusErrorXml('User was not found'));
    expect(await get(w.accNone, { ...PERIOD, s_user: u })).toBe(pageStatusErrorXml('Access Denied'));
    expect(await get(w.partner, { ...PERIOD, s_user: u })).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('hashes from, till, s_user (documented list); the key alone only when nothing is sent', async () => {
    expect(await api.hash({ s_user: '5', from: '1514851199', till: '1546300800' }, HASH, '123456')).toBe(
      '6cd8345cf58b1772d69c0d951e6003bacd48cfcf',
    );
    const params = { ...PERIOD, s_user: String(w.user.id) };
    const keyOnly = await api.hash({}, []);
    expect(await get(w.admin, params, { hash: keyOnly })).toBe(statusErrorXml('Incorrect hash'));
    const swapped = await api.hash(params, ['s_user', 'from', 'till']);
    expect(await get(w.admin, params, { hash: swapped })).toBe(statusErrorXml('Incorrect hash'));
    expect(channels(await get(w.user, {}, { hash: keyOnly }))).toEqual([]);
    expect((await api.call('local_calls_get', { u: 'nobody', ...params }, { hashOf: HASH })).body).toBe(
      pageStatusErrorXml('Access Denied'),
    );
  });

  it('prints dates in the system time zone', async () => {
    await api.handle.db.update(users).set({ timeZone: 'Tokyo' }).where(eq(users.id, 0));
    api.changed();
    try {
      const body = await get(w.admin, { ...PERIOD, s_user: String(w.u1.id) });
      expect(body).toContain('<date>2018-10-03 23:08:52</date>\n        <timezone>GMT +0900</timezone>');
    } finally {
      await api.handle.db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, 0));
      api.changed();
    }
  });
});
