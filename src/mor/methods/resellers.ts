import { RESELLER_RIGHTS } from '../../domain/auth/rights.ts';
import { createGroup } from '../../domain/resellers/createGroup.ts';
import { resellerGroupsGet as listResellerGroups } from '../../domain/resellers/resellerGroupsGet.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, pageStatusError, pageStatusSuccess } from '../xml.ts';
import { answer } from './users.ts';

const ALL = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;

export const resellerGroupCreate = defineMethod({
  name: 'reseller_group_create',
  family: 'resellers',
  summary: 'Creates a Reseller permission group with its six feature flags.',
  identity: 'caller',
  hash: ['name'],
  callers: ALL,
  access: 'write',
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller username (admin)' },
    { name: 'name', required: true, description: 'group name, unique among reseller groups' },
    { name: 'rg_description', description: 'group description' },
    ...RESELLER_RIGHTS.map((name) => ({ name, description: '1 = allowed; anything else = not allowed' })),
    { name: 'hash', required: true, description: 'sha1(name + secret key)' },
  ],
  run: ({ ctx, params }) =>
    answer(pageStatusError, async () => {
      await createGroup(ctx!, {
        groupType: 'reseller',
        name: params.get('name') ?? '',
        description: params.get('rg_description') ?? '',
        rights: Object.fromEntries(RESELLER_RIGHTS.map((flag) => [flag, params.get(flag) === '1' ? 1 : 0])),
      });
      return pageStatusSuccess('Reseller Group successfully created');
    }),
});

export const resellerGroupsGet = defineMethod({
  name: 'reseller_groups_get',
  family: 'resellers',
  summary: 'Lists the Reseller permission groups (id, name, description), admin only.',
  identity: 'caller',
  hash: ['u'],
  callers: ALL,
  access: 'read',
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username (admin)' },
    { name: 'hash', required: true, description: 'sha1(u + secret key)' },
  ],
  run: ({ ctx }) =>
    answer(
      pageError,
      async () => {
        const groups = await listResellerGroups(ctx!);
        return page({
          reseller_groups: {
            reseller_group: groups.map((g) => ({ id: g.id, name: g.name, description: g.description })),
          },
        });
      },
      { NOT_FOUND: 'No Reseller Groups found' },
    ),
});
