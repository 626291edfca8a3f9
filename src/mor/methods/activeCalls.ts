import { type ActiveCallFilters, listActiveCalls } from '../../domain/calls/listActiveCalls.ts';
import { DomainError } from '../../domain/errors.ts';
import { defineMethod } from '../method.ts';
import { page, pageStatusError } from '../xml.ts';
import { ALL } from './cardSupport.ts';

const ID = /^\d{1,9}$/;

export const activeCallsGet = defineMethod({
  name: 'active_calls_get',
  family: 'calls',
  summary: 'Calls in progress the caller may see, with filters (status, server, user, device, DID, numbers).',
  identity: 'caller',
  // The page lists `u` as hashed but its own example digest signs the key alone: both are accepted.
  hash: [],
  altHashes: [{ order: ['u'] }],
  callers: ALL,
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller: admin, reseller, accountant (Monitorings), user (setting)' },
    { name: 's_did', description: 'DID prefix, `%` wildcard' },
    { name: 's_provider', description: 'terminating provider id' },
    { name: 's_user_id', description: 'source user id' },
    { name: 's_device', description: 'source device id (only with s_user_id)' },
    { name: 's_dst_user_id', description: 'destination (local) user id' },
    { name: 's_dst_device', description: 'destination device id (only with s_dst_user_id)' },
    { name: 's_destination', description: 'dialled-number prefix, `%` wildcard' },
    { name: 's_destination_group', description: 'destination group id' },
    { name: 's_source', description: 'source-number prefix, `%` wildcard' },
    { name: 's_status', description: '`ringing` or `answered` (any case); default both' },
    { name: 's_server', description: 'server id' },
    { name: 's_country', description: 'direction (country) name' },
    { name: 'hash', required: true, description: 'sha1(u + secret key); sha1(secret key) is accepted too' },
  ],
  async run(call) {
    const p = call.params;
    const f: ActiveCallFilters = {};
    const id = (name: string): number | undefined | null => {
      const value = p.value(name);
      if (value === undefined || value === '') return undefined;
      return ID.test(value) ? Number(value) : null;
    };
    const status = p.value('s_status');
    if (status !== undefined && status !== '') {
      const s = status.toLowerCase();
      if (s !== 'ringing' && s !== 'answered') return pageStatusError('Status value must be Ringing or Answered');
      f.status = s;
    }
    const server = id('s_server');
    if (server === null) return pageStatusError('Server was not found');
    if (server !== undefined) f.serverId = server;
    const userId = id('s_user_id');
    const dstUserId = id('s_dst_user_id');
    if (userId === null || dstUserId === null) return pageStatusError('User was not found');
    if (userId !== undefined) f.userId = userId;
    if (dstUserId !== undefined) f.dstUserId = dstUserId;
    for (const [name, key] of [
      ['s_provider', 'providerId'],
      ['s_device', 'deviceId'],
      ['s_dst_device', 'dstDeviceId'],
      ['s_destination_group', 'destinationGroupId'],
    ] as const) {
      const value = id(name);
      // A malformed id matches nothing.
      if (value !== undefined) f[key] = value ?? -1;
    }
    for (const [name, key] of [
      ['s_did', 'did'],
      ['s_destination', 'destination'],
      ['s_source', 'source'],
      ['s_country', 'country'],
    ] as const) {
      const value = p.value(name);
      if (value !== undefined && value !== '') f[key] = value;
    }
    try {
      const rows = await listActiveCalls(call.ctx!, f);
      return page(
        rows.length === 0
          ? {}
          : { active_call: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? '']))) },
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'FORBIDDEN') return pageStatusError('Access Denied');
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return pageStatusError('User was not found');
      if (error instanceof DomainError && error.detail === 'server') return pageStatusError('Server was not found');
      throw error;
    }
  },
});
