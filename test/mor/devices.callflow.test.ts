import { beforeAll, describe, expect, it } from 'vitest';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import {
  createResellerWithRights,
  createUser,
  insertDevice,
  insertDid,
  nameUser,
  setConflines,
} from '../helpers/factories.ts';
import { callAs, DECL, KEY_A, makeWorld, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
const UPDATE_HASH = [
  'device_id',
  'callflow_action',
  'state',
  'forward_to_device',
  'external_number',
  'fax_device',
  'device_callerid',
  'src_callerid',
  'did_id',
  'custom',
];

const entry = (state: string, action = '', data = '', data2 = '', data3 = '1', data4 = '') =>
  `  <callflow>\n    <state>${state}</state>\n    <priority>1</priority>\n    <action>${action}</action>\n    <data>${data}</data>\n    <data2>${data2}</data2>\n    <data3>${data3}</data3>\n    <data4>${data4}</data4>\n    <data5></data5>\n  </callflow>\n`;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  await nameUser(api.handle, w.adminUser.id, 'Test User', '#1');
});

describe('device_callflow_get', () => {
  it('lists the six states with defaults: call dials the device, answered hangs up', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id, { extension: '101', timeout: 60 });
    const body = await call('device_callflow_get', 'admin', { device_id: String(device.id) }, ['device_id']);
    expect(body).toBe(
      `${DECL}\n<page>\n  <user>Test User #1</user>\n  <device>SIP/101</device>\n${entry('Before call')}${entry('Call', 'Dial', 'SIP/101|60')}${entry('Answered', 'Hangup')}${entry('No answer')}${entry('Busy')}${entry('Failed')}</page>\n`,
    );
  });

  it('answers User was not found, the functionality error and Device was not found', async () => {
    const mine = await insertDevice(api.handle, w.userA.id);
    const theirs = await insertDevice(api.handle, w.userB.id);
    const p = { device_id: String(mine.id) };
    expect(await call('device_callflow_get', 'nobody', p, ['device_id'])).toBe(
      pageStatusErrorXml('User was not found'),
    );
    const denied = pageStatusErrorXml('You are not authorized to use this functionality');
    // Resellers need PBX functions in their permission group.
    expect(await call('device_callflow_get', w.resellerA.username, p, ['device_id'])).toBe(denied);
    expect(await call('device_callflow_get', w.accountantNone.username, p, ['device_id'])).toBe(denied);
    expect(await call('device_callflow_get', w.accountantRead.username, p, ['device_id'])).toContain('<callflow>');
    expect(await call('device_callflow_get', w.userA.username, p, ['device_id'])).toContain('<callflow>');
    const notFound = pageStatusErrorXml('Device was not found');
    expect(await call('device_callflow_get', w.userA.username, { device_id: String(theirs.id) }, ['device_id'])).toBe(
      notFound,
    );
    expect(await call('device_callflow_get', 'admin', { device_id: '999999' }, ['device_id'])).toBe(notFound);
  });

  it('lets a reseller with PBX functions reach its users, never another reseller', async () => {
    const pbx = await createResellerWithRights(api.handle, { pbx_functions: 1 }, KEY_A);
    const user = await createUser(api.handle, { ownerId: pbx.id });
    api.changed();
    const device = await insertDevice(api.handle, user.id);
    const other = await insertDevice(api.handle, w.userB.id);
    const get = (id: number) =>
      api.call(
        'device_callflow_get',
        { u: pbx.username, device_id: String(id) },
        { hashOf: ['device_id'], key: KEY_A },
      );
    expect((await get(device.id)).body).toContain('<callflow>');
    expect((await get(other.id)).body).toBe(pageStatusErrorXml('Device was not found'));
  });

  it('shows simple users the extension instead of the device name when the owner hides usernames', async () => {
    const device = await insertDevice(api.handle, w.userA.id, { extension: '555', name: 'secretname' });
    const p = { device_id: String(device.id) };
    expect(await call('device_callflow_get', w.userA.username, p, ['device_id'])).toContain(
      '<device>SIP/secretname</device>',
    );
    await setConflines(api.handle, w.resellerA.id, { hide_device_username_for_users: '1' });
    const hidden = await call('device_callflow_get', w.userA.username, p, ['device_id']);
    expect(hidden).toContain('<device>SIP/555</device>');
    expect(hidden).toContain('<data>SIP/555|60</data>');
    expect(hidden).not.toContain('secretname');
    expect(await call('device_callflow_get', 'admin', p, ['device_id'])).toContain('<device>SIP/secretname</device>');
    await setConflines(api.handle, w.resellerA.id, { hide_device_username_for_users: '0' });
  });
});

describe('device_callflow_update', () => {
  it('forwards to an external number with a custom CallerID and answers the entry', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id, { extension: '4x' });
    const params = {
      device_id: String(device.id),
      state: 'before_call',
      callflow_action: 'forward',
      external_number: '37062699289',
      custom: 'caller',
    };
    expect(await call('device_callflow_update', 'admin', params, ['device_id', 'state', 'callflow_action'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const body = await call('device_callflow_update', 'admin', params, UPDATE_HASH);
    expect(body).toBe(
      `${DECL}\n<page>\n  <status>Callflow successfully updated</status>\n  <user>Test User #1</user>\n  <device>SIP/4x</device>\n${entry('Before call', 'Forward', '37062699289', 'external', '4', 'caller')}</page>\n`,
    );
    expect(await call('device_callflow_get', 'admin', { device_id: String(device.id) }, ['device_id'])).toContain(
      entry('Before call', 'Forward', '37062699289', 'external', '4', 'caller'),
    );
  });

  it('forwards to another device of the user, detects faxes, sends to voicemail, clears', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id, { extension: '201' });
    const target = await insertDevice(api.handle, w.adminUser.id, { extension: '202' });
    const fax = await insertDevice(api.handle, w.adminUser.id, { extension: '203', deviceType: 'FAX' });
    const did = await insertDid(api.handle, { did: '37052000001', deviceId: device.id, status: 'active' });
    const id = String(device.id);
    const update = (p: Record<string, string>) =>
      call('device_callflow_update', 'admin', { device_id: id, ...p }, UPDATE_HASH);
    expect(
      await update({
        state: 'busy',
        callflow_action: 'forward',
        forward_to_device: String(target.id),
        did_id: String(did.id),
      }),
    ).toContain(entry('Busy', 'Forward', 'SIP/202', 'local', '3', String(did.id)));
    expect(
      await update({ state: 'no_answer', callflow_action: 'forward', external_number: '123', src_callerid: 'true' }),
    ).toContain(entry('No answer', 'Forward', '123', 'external', '2'));
    expect(await update({ state: 'before_call', callflow_action: 'fax_detect', fax_device: String(fax.id) })).toContain(
      entry('Before call', 'Fax detect', 'FAX/203', 'fax'),
    );
    expect(await update({ state: 'failed', callflow_action: 'voicemail' })).toContain(entry('Failed', 'Voicemail'));
    expect(await update({ state: 'busy', callflow_action: 'empty' })).toContain(entry('Busy'));
  });

  it('answers every validation error in order', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const foreign = await insertDevice(api.handle, w.userA.id);
    const sip = await insertDevice(api.handle, w.adminUser.id);
    const otherDid = await insertDid(api.handle, { did: '37052000002', deviceId: sip.id, status: 'active' });
    const update = (p: Record<string, string>) =>
      call('device_callflow_update', 'admin', { device_id: String(device.id), ...p }, UPDATE_HASH);
    const cases: [Record<string, string>, string][] = [
      [{ state: 'call', callflow_action: 'empty' }, 'Callflow state is invalid'],
      [{ state: 'busy', callflow_action: 'dance' }, 'Callflow action is invalid'],
      [{ state: 'busy', callflow_action: 'fax_detect' }, 'Callflow action is invalid'],
      [{ state: 'busy', callflow_action: 'forward' }, 'Forward destination is missing'],
      [
        { state: 'busy', callflow_action: 'forward', forward_to_device: String(foreign.id) },
        'Forward device was not found',
      ],
      [
        { state: 'busy', callflow_action: 'forward', forward_to_device: String(device.id) },
        'Forward device was not found',
      ],
      [{ state: 'busy', callflow_action: 'forward', external_number: '12a' }, 'External number is invalid'],
      [
        { state: 'busy', callflow_action: 'forward', external_number: '12', did_id: String(otherDid.id) },
        'DID was not found',
      ],
      [{ state: 'before_call', callflow_action: 'fax_detect', fax_device: String(sip.id) }, 'Fax device was not found'],
    ];
    for (const [params, message] of cases) expect(await update(params)).toBe(pageStatusErrorXml(message));
    expect(await call('device_callflow_get', 'admin', { device_id: String(device.id) }, ['device_id'])).toContain(
      entry('Busy'),
    );
  });

  it('needs write rights: read-only accountants and unknown callers are refused', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    const p = { device_id: String(device.id), state: 'busy', callflow_action: 'voicemail' };
    expect(await call('device_callflow_update', 'nobody', p, UPDATE_HASH)).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect(await call('device_callflow_update', w.accountantRead.username, p, UPDATE_HASH)).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
    expect(await call('device_callflow_update', w.accountant.username, p, UPDATE_HASH)).toContain(
      'Callflow successfully updated',
    );
    expect(await call('device_callflow_update', w.userA.username, p, UPDATE_HASH)).toContain(
      'Callflow successfully updated',
    );
    expect(await call('device_callflow_update', w.userB.username, p, UPDATE_HASH)).toBe(
      pageStatusErrorXml('Device was not found'),
    );
  });
});
