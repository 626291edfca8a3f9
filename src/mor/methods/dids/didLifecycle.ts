import { deleteDid } from '../../../domain/dids/deleteDid.ts';
import { terminateDid } from '../../../domain/dids/terminateDid.ts';
import { DomainError } from '../../../domain/errors.ts';
import { MorRefusal } from '../../errors.ts';
import { defineMethod } from '../../method.ts';
import { pageStatusError, pageStatusSuccess, statusError, xml } from '../../xml.ts';
import { ctxOf, guarded, idParam } from '../devices/support.ts';

export const didTerminate = defineMethod({
  name: 'did_terminate',
  family: 'dids',
  summary: 'Terminates a free or closed DID (it can then be deleted).',
  identity: 'caller',
  hash: ['dids_id'],
  callers: ['admin', 'accountant', 'reseller'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'dids_id', required: true, description: 'DID id' },
    { name: 'hash', required: true, description: 'sha1(dids_id + secret key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await terminateDid(ctxOf(call), idParam(call.params, 'dids_id') ?? Number.NaN);
    return pageStatusSuccess('DID successfully terminated');
  }),
});

export const didDelete = defineMethod({
  name: 'did_delete',
  family: 'dids',
  summary: 'Deletes a terminated DID that no call or queue uses (admin, accountant with Manage DIDs).',
  identity: 'caller',
  hash: ['dids_id'],
  // Every role passes the pipeline: the refusal is the pipeline's own <status> Access Denied.
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'dids_id', required: true, description: 'DID id (not the number)' },
    { name: 'hash', required: true, description: 'sha1(dids_id + secret key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    try {
      await deleteDid(ctxOf(call), idParam(call.params, 'dids_id'));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'FORBIDDEN')
        throw new MorRefusal(statusError('Access Denied'));
      throw error;
    }
    return xml({ page: { status: { status: 'DID successfully deleted' } } });
  }),
});
