import type { CallflowView } from '../../../domain/devices/callflowView.ts';
import { getCallflow } from '../../../domain/devices/getCallflow.ts';
import { updateCallflow } from '../../../domain/devices/updateCallflow.ts';
import { defineMethod } from '../../method.ts';
import { page, pageStatusError, type XmlNode } from '../../xml.ts';
import { ctxOf, flag, guarded, idParam } from './support.ts';

const CALLERS = ['admin', 'accountant', 'reseller', 'user'] as const;
const UNKNOWN = pageStatusError('User was not found');

const render = (view: CallflowView): XmlNode => ({
  user: view.user,
  device: view.device,
  callflow: view.callflows.map((c) => ({
    state: c.state,
    priority: c.priority,
    action: c.action,
    data: c.data,
    data2: c.data2,
    data3: c.data3,
    data4: c.data4,
    data5: c.data5,
  })),
});

export const deviceCallflowGet = defineMethod({
  name: 'device_callflow_get',
  family: 'devices',
  summary: "A device's call flow: before call, call, answered, no answer, busy, failed.",
  identity: 'caller',
  hash: ['device_id'],
  callers: CALLERS,
  access: 'read',
  unknownCaller: UNKNOWN,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device_id', required: true, description: 'device id' },
    { name: 'hash', required: true, description: 'sha1(device_id + key)' },
  ],
  run: guarded('pageStatus', async (call) =>
    page(render(await getCallflow(ctxOf(call), { deviceId: idParam(call.params, 'device_id') ?? Number.NaN }))),
  ),
});

export const deviceCallflowUpdate = defineMethod({
  name: 'device_callflow_update',
  family: 'devices',
  summary: 'Sets the action of one call-flow state: empty, forward, voicemail or fax detect.',
  identity: 'caller',
  hash: [
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
  ],
  callers: CALLERS,
  access: 'write',
  unknownCaller: UNKNOWN,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device_id', required: true, description: 'device id' },
    { name: 'callflow_action', required: true, description: 'empty, forward, voicemail, fax_detect' },
    { name: 'state', required: true, description: 'before_call, no_answer, busy, failed' },
    { name: 'forward_to_device', description: 'forward: another device of the same user' },
    { name: 'external_number', description: 'forward: external number (digits)' },
    { name: 'fax_device', description: 'fax_detect: a FAX device' },
    { name: 'device_callerid', description: "true: forward with the device's CallerID" },
    { name: 'src_callerid', description: 'true: forward with the CallerID unchanged' },
    { name: 'did_id', description: 'forward with this DID of the device as CallerID' },
    { name: 'custom', description: 'forward with this CallerID text' },
    { name: 'hash', required: true, description: 'sha1(the values above that are sent, in this order + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    const view = await updateCallflow(ctxOf(call), {
      deviceId: idParam(p, 'device_id') ?? Number.NaN,
      state: p.get('state') ?? '',
      action: p.get('callflow_action') ?? '',
      forwardToDevice: idParam(p, 'forward_to_device'),
      externalNumber: p.value('external_number'),
      faxDevice: idParam(p, 'fax_device'),
      deviceCallerid: flag(p, 'device_callerid'),
      srcCallerid: flag(p, 'src_callerid'),
      didId: idParam(p, 'did_id'),
      custom: p.value('custom'),
    });
    return page({ status: 'Callflow successfully updated', ...render(view) });
  }),
});
