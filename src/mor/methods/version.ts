import { VERSION_TEXT } from '../../version.ts';
import { defineMethod } from '../method.ts';
import { page, pageStatusError } from '../xml.ts';

export const systemVersionGet = defineMethod({
  name: 'system_version_get',
  aliases: ['get_version'],
  family: 'version',
  summary: 'The application version text.',
  identity: 'caller',
  hash: [],
  // A PHP client hashes u + key; accepted for tolerance (spec decision).
  altHashes: [{ order: ['u'] }],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  unknownCaller: pageStatusError('Access Denied'),
  run: async () => page({ version: VERSION_TEXT }),
});
