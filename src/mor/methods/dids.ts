import { assignDid } from '../../domain/dids/assignDid.ts';
import { createDid } from '../../domain/dids/createDid.ts';
import { listDids } from '../../domain/dids/listDids.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, pageStatusError, pageStatusSuccess, xml } from '../xml.ts';
import { ctxOf, guarded, idParam } from './devices/support.ts';

export { didDetailsUpdate, didDeviceUnassign, didSubscriptionStop } from './dids/didChanges.ts';
export { didDelete, didTerminate } from './dids/didLifecycle.ts';

const MANAGERS = ['admin', 'accountant', 'reseller'] as const;

export const didsGet = defineMethod({
  name: 'dids_get',
  family: 'dids',
  summary: "DIDs of the caller's realm, filtered and paginated.",
  identity: 'caller',
  hash: [],
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'read',
  errorWrapper: pageError,
  unknownCaller: pageError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'search_did_number', description: 'DID number, partial (% allowed)' },
    { name: 'search_status', description: 'free, reserved, active, closed, terminated' },
    { name: 'search_did_owner', description: "owner's name, partial (admin/accountant)" },
    { name: 'search_dialplan', description: 'dial plan id' },
    { name: 'search_user', description: 'user id (reserved/assigned to, or reseller handed to)' },
    { name: 'search_device', description: 'device id' },
    { name: 'search_provider', description: 'provider id' },
    { name: 'search_language', description: 'language or all' },
    { name: 'search_hide_terminated_dids', description: '1 hides terminated DIDs' },
    { name: 'from', description: '1-based index of the first record' },
    { name: 'max_results', description: 'page size' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('page', async (call) => {
    const p = call.params;
    const int = (name: string) => {
      const value = p.value(name);
      return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
    };
    const rows = await listDids(ctxOf(call), {
      number: p.value('search_did_number'),
      status: p.value('search_status'),
      owner: p.value('search_did_owner'),
      dialplanId: idParam(p, 'search_dialplan'),
      userId: idParam(p, 'search_user'),
      deviceId: idParam(p, 'search_device'),
      providerId: idParam(p, 'search_provider'),
      language: p.value('search_language'),
      hideTerminated: p.get('search_hide_terminated_dids') === '1',
      from: int('from'),
      maxResults: int('max_results'),
    });
    const optional = (tag: string, value: string | undefined) => (value === undefined ? {} : { [tag]: value });
    const did = rows.map((r) => ({
      did: r.did,
      ...optional('provider', r.provider),
      language: r.language,
      status: r.status,
      did_status: r.didStatus,
      ...optional('reseller', r.reseller),
      owner: r.owner,
      device: r.device,
      ...optional('dial_plan', r.dialPlan),
      simultaneous_call_limit: r.simultaneousCallLimit,
      comment: r.comment,
      ...optional('tone_zone', r.toneZone),
      id: r.id,
    }));
    return page({ dids: { did } });
  }),
});

export const didCreate = defineMethod({
  name: 'did_create',
  family: 'dids',
  summary: 'Creates a free DID on a provider.',
  identity: 'caller',
  hash: ['provider_id', 'did'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'provider_id', required: true, description: 'provider (resellers: optional, their default)' },
    { name: 'did', required: true, description: 'DID number (digits)' },
    { name: 'custom_sip_header', description: 'custom SIP header (not hashed)' },
    { name: 'comment', description: 'comment (not hashed)' },
    { name: 'reseller_comment', description: 'reseller comment (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(provider_id + did + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    const created = await createDid(ctxOf(call), {
      providerId: idParam(p, 'provider_id'),
      did: p.get('did') ?? '',
      customSipHeader: p.get('custom_sip_header'),
      comment: p.get('comment'),
      resellerComment: p.get('reseller_comment'),
    });
    return xml({ page: { status: { success: 'DID created' }, did_details: { id: created.id } } });
  }),
});

export const didDeviceAssign = defineMethod({
  name: 'did_device_assign',
  aliases: ['did_assign_device'],
  family: 'dids',
  summary: 'Assigns a DID to a device (the DID becomes active).',
  identity: 'caller',
  hash: ['device_id', 'did'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device_id', required: true, description: 'device id' },
    { name: 'did', required: true, description: 'DID number' },
    { name: 'hash', required: true, description: 'sha1(device_id + did + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await assignDid(ctxOf(call), {
      deviceId: idParam(call.params, 'device_id') ?? Number.NaN,
      did: call.params.get('did') ?? '',
    });
    return pageStatusSuccess('Device assigned to DID');
  }),
});
