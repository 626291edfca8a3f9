import { CONFLINES_UPDATE_PARAMS, conflinesUpdate as updateConflines } from '../../domain/settings/conflinesUpdate.ts';
import { defineMethod } from '../method.ts';
import { pageStatusSuccess } from '../xml.ts';

export const conflinesUpdate = defineMethod({
  name: 'conflines_update',
  family: 'conflines',
  summary: "Changes API settings and the caller's Default User / Default Device settings.",
  identity: 'caller',
  hash: [],
  keyScope: 'admin',
  callers: ['admin', 'reseller'],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username (admin or reseller)' },
    { name: 'hash', required: true, description: "sha1(admin's API secret key)" },
    ...CONFLINES_UPDATE_PARAMS.map((name) => ({ name, description: 'setting to change (optional)' })),
  ],
  run: async ({ ctx, params }) => {
    await updateConflines(ctx!, params.toObject());
    return pageStatusSuccess('Settings successfully updated');
  },
});
