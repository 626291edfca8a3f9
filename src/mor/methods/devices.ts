import { createDevice } from '../../domain/devices/createDevice.ts';
import { deleteDevice } from '../../domain/devices/deleteDevice.ts';
import { DEVICE_DETAIL_COLUMNS, getDevice } from '../../domain/devices/getDevice.ts';
import { listDevices } from '../../domain/devices/listDevices.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, pageStatusError, type XmlNode } from '../xml.ts';
import { ctxOf, guarded, idParam } from './devices/support.ts';

export { deviceCallflowGet, deviceCallflowUpdate } from './devices/callflows.ts';
export { deviceRuleCreate, deviceRuleDelete, deviceRulesGet } from './devices/deviceRules.ts';
export { deviceUpdate } from './devices/deviceUpdate.ts';

const MANAGERS = ['admin', 'accountant', 'reseller'] as const;

export const deviceCreate = defineMethod({
  name: 'device_create',
  family: 'devices',
  summary: 'Creates a username/password device for a user, with a strong random password.',
  identity: 'caller',
  hash: ['user_id', 'description', 'pin', 'type', 'devicegroup_id', 'caller_id'],
  callers: MANAGERS,
  access: 'write',
  errorWrapper: pageError,
  unknownCaller: pageError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', required: true, description: 'user that will own the device' },
    { name: 'description', description: 'device description' },
    { name: 'pin', description: 'digits; empty = PIN-less; absent = random PIN' },
    { name: 'type', description: 'SIP, PJSIP, IAX2, FAX, Virtual, H323; empty = default device type' },
    { name: 'devicegroup_id', description: 'a device group of the user' },
    { name: 'caller_id', description: 'CallerID number (digits)' },
    { name: 'extension', description: 'extension a-z0-9#* (not hashed); default: next free' },
    { name: 'fromuser', description: 'SIP fromuser (not hashed)' },
    { name: 'call_timeout', description: 'maximum call duration, seconds (not hashed)' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(user_id + description + pin + type + devicegroup_id + caller_id + key)',
    },
  ],
  run: guarded('page', async (call) => {
    const p = call.params;
    const created = await createDevice(ctxOf(call), {
      userId: idParam(p, 'user_id') ?? Number.NaN,
      description: p.get('description'),
      pin: p.get('pin'),
      type: p.get('type'),
      devicegroupId: idParam(p, 'devicegroup_id'),
      callerId: p.value('caller_id'),
      extension: p.value('extension'),
      fromuser: p.get('fromuser'),
      callTimeout: p.value('call_timeout'),
    });
    return page({ status: 'Device created', id: created.id, username: created.username, password: created.password });
  }),
});

export const deviceDelete = defineMethod({
  name: 'device_delete',
  aliases: ['device_destroy', 'delete_device'],
  family: 'devices',
  summary: 'Deletes a device with its CLIs and call flow, unless something still uses it.',
  identity: 'caller',
  hash: ['device'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device', required: true, description: 'device id' },
    { name: 'hash', required: true, description: 'sha1(device + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await deleteDevice(ctxOf(call), { deviceId: idParam(call.params, 'device') ?? Number.NaN });
    return page({ status: 'Device was deleted' });
  }),
});

export const devicesGet = defineMethod({
  name: 'devices_get',
  aliases: ['device_list'],
  family: 'devices',
  summary: "A user's devices with their credentials.",
  identity: 'caller',
  hash: ['user_id'],
  callers: MANAGERS,
  access: 'read',
  errorWrapper: pageError,
  unknownCaller: pageError('Bad login'),
  params: [
    { name: 'u', required: true, description: 'caller username (owner of the user)' },
    { name: 'user_id', required: true, description: 'user whose devices are listed' },
    { name: 'show_hidden_devices', description: '0 leaves out blocked/hidden devices (default 1)' },
    { name: 'hash', required: true, description: 'sha1(user_id + key)' },
  ],
  run: guarded(
    'page',
    async (call) => {
      const rows = await listDevices(ctxOf(call), {
        userId: idParam(call.params, 'user_id'),
        showHidden: call.params.get('show_hidden_devices') !== '0',
      });
      const device = rows.map((d) => ({
        device_id: d.id,
        device_type: d.deviceType,
        devicegroup_id: d.devicegroupId ?? '',
        primary_device: d.primary ? 'yes' : 'no',
        username: d.username,
        secret: d.secret,
        ipaddr: d.ipaddr,
        port: d.port,
        callerid: d.callerid,
        host: d.host,
        authentication: d.host === 'dynamic' ? 0 : 1,
      }));
      return page({ devices: { device } });
    },
    { 'NOT_FOUND:user': 'User not found' },
  ),
});

const snake = (key: string) => key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

export const deviceDetailsGet = defineMethod({
  name: 'device_details_get',
  family: 'devices',
  summary: 'Every setting of one device.',
  identity: 'caller',
  hash: ['device_id', 'device_u'],
  hashUnless: { device_u: 'device_id' },
  callers: MANAGERS,
  access: 'read',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device_id', description: 'device id (wins over device_u)' },
    { name: 'device_u', description: 'device username' },
    { name: 'hash', required: true, description: 'sha1(device_id + key), or sha1(device_u + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const found = await getDevice(ctxOf(call), {
      deviceId: idParam(call.params, 'device_id'),
      username: call.params.value('device_u'),
    });
    const row = found.device as unknown as Record<string, unknown>;
    const out: XmlNode = {};
    for (const key of DEVICE_DETAIL_COLUMNS) out[snake(key)] = row[key] === null ? '' : String(row[key]);
    out.codecs = { audio_codecs: found.audioCodecs.join(', '), video_codecs: found.videoCodecs.join(', ') };
    return page(out);
  }),
});
