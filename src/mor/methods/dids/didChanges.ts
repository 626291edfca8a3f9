import { stopDidSubscription } from '../../../domain/dids/stopDidSubscription.ts';
import { unassignDid } from '../../../domain/dids/unassignDid.ts';
import { updateDidDetails } from '../../../domain/dids/updateDidDetails.ts';
import { defineMethod } from '../../method.ts';
import { pageStatusError, pageStatusSuccess } from '../../xml.ts';
import { ctxOf, guarded, idParam, pick } from '../devices/support.ts';

const MANAGERS = ['admin', 'accountant', 'reseller'] as const;
const DENIED = pageStatusError('Access Denied');

export const didDeviceUnassign = defineMethod({
  name: 'did_device_unassign',
  aliases: ['did_unassign_device'],
  family: 'dids',
  summary: 'Frees a DID from its device.',
  identity: 'caller',
  // did_id is hashed in place of did when did is absent.
  hash: ['did', 'did_id'],
  hashUnless: { did_id: 'did' },
  callers: MANAGERS,
  access: 'write',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'did', required: true, description: 'DID number' },
    { name: 'did_id', description: 'DID id, when did is absent' },
    { name: 'hash', required: true, description: 'sha1(did + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const did = call.params.get('did');
    await unassignDid(
      ctxOf(call),
      did !== undefined ? { did } : { didId: idParam(call.params, 'did_id') ?? Number.NaN },
    );
    return pageStatusSuccess('Device was unassigned from DID');
  }),
});

const DETAILS = [
  ['call_limit', 'callLimit'],
  ['did_user_id', 'didUserId'],
  ['active_from', 'activeFrom'],
  ['active_till', 'activeTill'],
  ['grace_time', 'graceTime'],
  ['language', 'language'],
  ['custom_sip_header', 'customSipHeader'],
  ['comment', 'comment'],
  ['reseller_comment', 'resellerComment'],
] as const;

export const didDetailsUpdate = defineMethod({
  name: 'did_details_update',
  family: 'dids',
  summary: "Changes a DID's details; gives it to a reseller or user, or makes it free.",
  identity: 'caller',
  hash: ['did_id'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'did_id', required: true, description: 'DID id' },
    ...DETAILS.map(([name]) => ({ name, description: 'optional, not hashed' })),
    { name: 'did_provider_id', description: 'provider, optional, not hashed' },
    { name: 'hash', required: true, description: 'sha1(did_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    await updateDidDetails(ctxOf(call), {
      ...pick(p, DETAILS),
      didId: idParam(p, 'did_id') ?? Number.NaN,
      providerId: p.has('did_provider_id') ? (idParam(p, 'did_provider_id') ?? Number.NaN) : undefined,
    });
    return pageStatusSuccess('DID details successfully updated');
  }),
});

export const didSubscriptionStop = defineMethod({
  name: 'did_subscription_stop',
  family: 'dids',
  summary: "Stops a DID's subscription: closed and kept for its user for 90 days.",
  identity: 'caller',
  // dids_id (the sibling pages' name) is hashed in place of did_id when did_id is absent.
  hash: ['did_id', 'dids_id'],
  hashUnless: { dids_id: 'did_id' },
  callers: MANAGERS,
  access: 'write',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'did_id', required: true, description: 'DID id (dids_id accepted)' },
    { name: 'hash', required: true, description: 'sha1(did_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    const didId = idParam(p, 'did_id') ?? idParam(p, 'dids_id') ?? Number.NaN;
    await stopDidSubscription(ctxOf(call), { didId });
    return pageStatusSuccess('DID was successfully closed');
  }),
});
