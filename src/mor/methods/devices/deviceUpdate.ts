import { PLAIN_FIELDS, SPECIAL_FIELDS } from '../../../domain/devices/deviceFields.ts';
import { updateDevice } from '../../../domain/devices/updateDevice.ts';
import { defineMethod } from '../../method.ts';
import { pageStatusError, pageStatusSuccess } from '../../xml.ts';
import { ctxOf, guarded, idParam, pick } from './support.ts';

const FIELDS = [...PLAIN_FIELDS.map((f) => [f.param, f.key] as const), ...SPECIAL_FIELDS];
/** The wiki spells this parameter with a Cyrillic "с" first; both spellings are accepted. */
const CYRILLIC_COPY = '\u0441opy_legA_name_to_LegB_number';

export const deviceUpdate = defineMethod({
  name: 'device_update',
  family: 'devices',
  summary: "Changes a device's authentication, credentials, limits and other settings.",
  identity: 'caller',
  // device_name (the username's synonym) is hashed in the username's place when username is absent.
  hash: ['device', 'authentication', 'username', 'device_name', 'host', 'port'],
  hashUnless: { device_name: 'username' },
  // May-2014 clients hash device + location_id (seed 003's verified example): only with location_id
  // sent, and (pipeline) none of authentication, username, device_name, host, port.
  altHashes: [{ order: ['device', 'location_id'], requires: ['location_id'] }],
  callers: ['admin', 'accountant', 'reseller'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device', required: true, description: 'device id' },
    { name: 'authentication', description: '0 dynamic (username/password), 1 IP authentication' },
    { name: 'username', description: 'device username (dynamic); device_name is a synonym' },
    { name: 'host', description: 'IPv4 address (IP authentication)' },
    { name: 'port', description: 'port (IP authentication)' },
    { name: 'password', description: 'device secret: at least 8 characters, not the username' },
    { name: 'new_location_id', description: 'location (location_id in May-2014 clients)' },
    { name: 'callerid_number / callerid_name', description: 'CallerID halves' },
    { name: 'allow_empty_callerid', description: '1 allows clearing the CallerID halves' },
    ...FIELDS.filter(([param]) => !['authentication', 'username', 'host', 'port', 'password'].includes(param))
      .filter(([param]) => !param.startsWith('callerid_') && param !== 'allow_empty_callerid')
      .map(([name]) => ({ name, description: 'see device_update' })),
    {
      name: 'hash',
      required: true,
      description:
        'sha1(device + authentication + username (or device_name) + host + port + key); May-2014: sha1(device + location_id + key), only with location_id and none of the others',
    },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    const values = pick(p, FIELDS);
    if (values.username === undefined && p.get('device_name') !== undefined) values.username = p.get('device_name');
    if (values.copyLegaNameToLegbNumber === undefined && p.get(CYRILLIC_COPY) !== undefined) {
      values.copyLegaNameToLegbNumber = p.get(CYRILLIC_COPY);
    }
    const location = p.has('new_location_id') ? 'new_location_id' : p.has('location_id') ? 'location_id' : undefined;
    await updateDevice(ctxOf(call), {
      ...values,
      deviceId: idParam(p, 'device') ?? Number.NaN,
      newLocationId: location ? (idParam(p, location) ?? Number.NaN) : undefined,
    });
    return pageStatusSuccess('Device successfully updated');
  }),
});
