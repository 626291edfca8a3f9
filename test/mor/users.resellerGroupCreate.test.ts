import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accGroups, actions } from '../../src/db/schema/index.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const OK = `${XML_DECL}\n<page>\n  <status>\n    <success>Reseller Group successfully created</success>\n  </status>\n</page>\n`;
const create = (params: Record<string, string>, key?: string) =>
  api.call('reseller_group_create', { u: 'admin', ...params }, { hashOf: ['name'], key });
const groupNamed = async (name: string) =>
  (await api.handle.db.select().from(accGroups).where(eq(accGroups.name, name)))[0];

describe('reseller_group_create', () => {
  it('creates a reseller group with its description and flags (1 only when the value is 1)', async () => {
    const res = await create({
      name: 'Another Reseller Group',
      rg_description: 'for test purposes',
      call_shop: '1',
      calling_cards: '0',
      sms_addon: '1',
      payment_gateways: 'yes',
      autodialer: '0',
      pbx_functions: '1',
      test: '1',
    });
    expect(res.body).toBe(OK);
    const group = await groupNamed('Another Reseller Group');
    expect(group).toMatchObject({ groupType: 'reseller', ownerId: 0, description: 'for test purposes' });
    expect(group!.rights).toEqual({
      calling_cards: 0,
      call_shop: 1,
      sms_addon: 1,
      payment_gateways: 0,
      autodialer: 0,
      pbx_functions: 1,
    });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.targetId, group!.id));
    expect(log).toMatchObject({ action: 'reseller_group_created', targetType: 'acc_group' });
  });

  it('is served under the bare /api prefix of the wiki example', async () => {
    const res = await api.call(
      'reseller_group_create',
      { u: 'admin', name: 'Bare' },
      { hashOf: ['name'], prefix: '/api' },
    );
    expect(res.body).toBe(OK);
  });

  it('hashes name + key (own computation for key "secret": 1bc97e7c…)', async () => {
    expect(await api.hash({ name: 'Another Reseller Group' }, ['name'])).toBe(
      '1bc97e7c9ae39130046c034076d063db798dcab7',
    );
    expect((await create({ name: 'Hashless' }, 'wrong-key')).body).toBe(statusErrorXml('Incorrect hash'));
    expect(await groupNamed('Hashless')).toBeUndefined();
  });

  it('answers Reseller Group Name must be specified for a missing or blank name', async () => {
    expect((await create({})).body).toBe(pageStatusErrorXml('Reseller Group Name must be specified'));
    expect((await create({ name: '   ' })).body).toBe(pageStatusErrorXml('Reseller Group Name must be specified'));
  });

  it('answers Group name must be unique, ignoring case; accountant groups do not clash', async () => {
    expect((await create({ name: 'Gold' })).body).toBe(OK);
    expect((await create({ name: 'gOLD' })).body).toBe(pageStatusErrorXml('Group name must be unique'));
    await api.handle.db.insert(accGroups).values({ name: 'Silver', groupType: 'accountant' });
    expect((await create({ name: 'Silver' })).body).toBe(OK);
  });

  it('answers Access Denied for an unknown u, never Registration over API is disabled', async () => {
    expect((await create({ u: 'nobody', name: 'X' })).body).toBe(statusErrorXml('Access Denied'));
    expect((await create({ name: 'Works without registration' })).body).toBe(OK);
  });

  it('refuses every caller but the admin with You are not authorized to use this functionality', async () => {
    const reseller = await createReseller(api.handle, 'rgc-reseller-key');
    const accountant = await createAccountant(api.handle, { users_manage: 2, users_create: 2 });
    const user = await createUser(api.handle);
    const denied = pageStatusErrorXml('You are not authorized to use this functionality');
    expect((await create({ u: reseller.username, name: 'R' }, 'rgc-reseller-key')).body).toBe(denied);
    expect((await create({ u: accountant.username, name: 'A' })).body).toBe(denied);
    expect((await create({ u: user.username, name: 'U' })).body).toBe(denied);
    for (const name of ['R', 'A', 'U']) expect(await groupNamed(name)).toBeUndefined();
  });
});
