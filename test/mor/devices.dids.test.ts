import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { dids } from '../../src/db/schema/dids.ts';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import {
  createDialplan,
  createProvider,
  createQuickforwardsRule,
  insertDevice,
  insertDid,
  nameUser,
  setConflines,
} from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  await nameUser(api.handle, w.resellerA.id, 'Test', 'Reseller');
  await nameUser(api.handle, w.userA.id, 'User', 'Resellers');
});

describe('dids_get', () => {
  let provider: Awaited<ReturnType<typeof createProvider>>;
  let active: Awaited<ReturnType<typeof insertDid>>;
  beforeAll(async () => {
    provider = await createProvider(api.handle, 0, { name: 'Test Provider' });
    const device = await insertDevice(api.handle, w.userA.id, {
      deviceType: 'IAX2',
      extension: '105',
      name: 'iaxname',
    });
    active = await insertDid(api.handle, {
      did: '37066000001',
      providerId: provider.id,
      status: 'active',
      resellerId: w.resellerA.id,
      userId: w.userA.id,
      deviceId: device.id,
      language: 'en',
      toneZone: 'it',
      comment: 'first 25 chars of a longer comment',
      resellerComment: 'the reseller note',
    });
    await insertDid(api.handle, { did: '37066000002', providerId: provider.id });
    await insertDid(api.handle, { did: '37066000003', providerId: provider.id, status: 'terminated', callLimit: 5 });
    const plan = await createDialplan(api.handle, { name: 'QF', dptype: 'quickforwarddids' });
    await insertDid(api.handle, { did: '37066000004', providerId: provider.id, dialplanId: plan.id, language: 'lt' });
    await insertDid(api.handle, { did: '37066000005', providerId: provider.id, resellerId: w.resellerB.id });
  });

  it('shows the admin every field of every DID (nested <did><did>)', async () => {
    const body = await call('dids_get', 'admin', { search_did_number: '37066000001' }, []);
    expect(body).toBe(
      `${DECL}
<page>
  <dids>
    <did>
      <did>37066000001</did>
      <provider>Test Provider</provider>
      <language>en</language>
      <status>Active</status>
      <did_status>active</did_status>
      <reseller>Test Reseller</reseller>
      <owner>User Resellers</owner>
      <device>IAX2/iaxname</device>
      <dial_plan></dial_plan>
      <simultaneous_call_limit>Unlimited</simultaneous_call_limit>
      <comment>first 25 chars of a longe</comment>
      <tone_zone>it</tone_zone>
      <id>${active.id}</id>
    </did>
  </dids>
</page>
`,
    );
    const all = await call('dids_get', 'admin', {}, []);
    expect(all.match(/<did>3706600000\d<\/did>/g)).toEqual([
      '<did>37066000001</did>',
      '<did>37066000002</did>',
      '<did>37066000003</did>',
      '<did>37066000004</did>',
      '<did>37066000005</did>',
    ]);
    expect(all).toContain('<dial_plan>QF (quickforwarddids)</dial_plan>');
    expect(all).toContain('<simultaneous_call_limit>5</simultaneous_call_limit>');
  });

  it('filters by status, user, device, language, terminated, owner and paginates', async () => {
    const numbers = async (p: Record<string, string>) =>
      ((await call('dids_get', 'admin', p, [])).match(/<did>(\d+)<\/did>/g) ?? []).map((m) => m.slice(5, -6));
    expect(await numbers({ search_status: 'free', search_did_number: '370660' })).toEqual([
      '37066000002',
      '37066000004',
      '37066000005',
    ]);
    expect(await numbers({ search_user: String(w.resellerB.id) })).toEqual(['37066000005']);
    expect(await numbers({ search_device: String(active.deviceId) })).toEqual(['37066000001']);
    expect(await numbers({ search_language: 'lt' })).toEqual(['37066000004']);
    expect(await numbers({ search_did_number: '3706600000%', search_hide_terminated_dids: '1' })).not.toContain(
      '37066000003',
    );
    expect(await numbers({ search_did_owner: 'Resellers' })).toEqual(['37066000001']);
    expect(await numbers({ search_did_number: '370660', from: '2', max_results: '2' })).toEqual([
      '37066000002',
      '37066000003',
    ]);
  });

  it('shows a reseller only DIDs handed to it, without provider and reseller, with its own comment', async () => {
    const body = await call('dids_get', w.resellerA.username, {}, []);
    expect(body).toContain('<did>37066000001</did>');
    expect(body).not.toContain('37066000005');
    expect(body).not.toContain('<provider>');
    expect(body).not.toContain('<reseller>');
    expect(body).toContain('<comment>the reseller note</comment>');
    expect(await call('dids_get', w.resellerB.username, {}, [])).not.toContain('37066000001');
  });

  it('shows a simple user its DIDs, hiding the device name when its owner hides usernames', async () => {
    const body = await call('dids_get', w.userA.username, {}, []);
    expect(body).toContain('<device>IAX2/iaxname</device>');
    for (const tag of ['provider', 'reseller', 'dial_plan', 'tone_zone']) expect(body).not.toContain(`<${tag}>`);
    await setConflines(api.handle, w.resellerA.id, { hide_device_username_for_users: '1' });
    expect(await call('dids_get', w.userA.username, {}, [])).toContain('<device>IAX2/105</device>');
    expect(await call('dids_get', 'admin', { search_did_number: '37066000001' }, [])).toContain(
      '<device>IAX2/iaxname</device>',
    );
    await setConflines(api.handle, w.resellerA.id, { hide_device_username_for_users: '0' });
    expect(await call('dids_get', w.userB.username, {}, [])).toBe(pageErrorXml('No DIDs found'));
  });

  it('answers Access Denied, the Manage DIDs error and No DIDs found; hashes the key only', async () => {
    expect(await call('dids_get', 'nobody', {}, [])).toBe(pageErrorXml('Access Denied'));
    expect(await call('dids_get', w.accountantNone.username, {}, [])).toBe(
      pageErrorXml('You are not authorized to manage DIDs'),
    );
    expect(await call('dids_get', w.accountantRead.username, {}, [])).toContain('<dids>');
    expect(await call('dids_get', 'admin', { search_did_number: '999' }, [])).toBe(pageErrorXml('No DIDs found'));
    expect(await call('dids_get', 'admin', { search_status: 'free' }, ['search_status'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const doc = await api.call(
      'dids_get',
      { u: 'admin', search_status: 'free' },
      { hash: '6e79d4a82f68102f43be11d873177f47817f84df' },
    );
    expect(doc.body).toBe(statusErrorXml('Incorrect hash'));
  });
});

describe('did_create', () => {
  const created = (id: number) =>
    `${DECL}\n<page>\n  <status>\n    <success>DID created</success>\n  </status>\n  <did_details>\n    <id>${id}</id>\n  </did_details>\n</page>\n`;
  const idOf = async (did: string) => (await api.handle.db.select().from(dids).where(eq(dids.did, did)))[0];

  it('creates a free DID; hash sha1(provider_id + did + key)', async () => {
    const provider = await createProvider(api.handle, 0);
    const p = { provider_id: String(provider.id), did: '123456789', comment: 'c' };
    expect(await call('did_create', 'admin', p, ['provider_id'])).toBe(statusErrorXml('Incorrect hash'));
    const body = await call('did_create', 'admin', p, ['provider_id', 'did']);
    const row = await idOf('123456789');
    expect(body).toBe(created(row!.id));
    expect(row).toMatchObject({
      status: 'free',
      providerId: provider.id,
      resellerId: 0,
      userId: 0,
      deviceId: 0,
      comment: 'c',
    });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'did_created'));
    expect(log).toMatchObject({ targetId: row!.id, data: '123456789' });
  });

  it('lets a reseller use its own providers, its default one when none is named', async () => {
    const first = await createProvider(api.handle, w.resellerA.id);
    const preferred = await createProvider(api.handle, w.resellerA.id, { isDefault: true });
    expect(await call('did_create', w.resellerA.username, { did: '3701000001' }, ['provider_id', 'did'])).toMatch(
      /DID created/,
    );
    expect(await idOf('3701000001')).toMatchObject({ providerId: preferred.id, resellerId: w.resellerA.id });
    expect(
      await call('did_create', w.resellerA.username, { did: '3701000002', provider_id: String(first.id) }, [
        'provider_id',
        'did',
      ]),
    ).toMatch(/DID created/);
    expect(await call('did_create', w.resellerB.username, { did: '3701000003' }, ['provider_id', 'did'])).toBe(
      pageStatusErrorXml('Provider was not found'),
    );
    expect(
      await call('did_create', w.resellerB.username, { did: '3701000003', provider_id: String(first.id) }, [
        'provider_id',
        'did',
      ]),
    ).toBe(pageStatusErrorXml('Your are not authorized to use this Provider'));
  });

  it('answers every documented error', async () => {
    const provider = await createProvider(api.handle, 0);
    const p = (did: string, providerId = String(provider.id)) => ({ provider_id: providerId, did });
    const H = ['provider_id', 'did'];
    expect(await call('did_create', 'nobody', p('1'), H)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('did_create', w.userA.username, p('1'), H)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('did_create', w.accountantNone.username, p('1'), H)).toBe(
      pageStatusErrorXml('You are not authorized to manage DIDs'),
    );
    expect(await call('did_create', w.accountantRead.username, p('1'), H)).toBe(
      pageStatusErrorXml('You are not authorized to manage DIDs'),
    );
    expect(await call('did_create', 'admin', p('1', '99999'), H)).toBe(pageStatusErrorXml('Provider was not found'));
    expect(await call('did_create', 'admin', { did: '1' }, H)).toBe(pageStatusErrorXml('Provider was not found'));
    expect(await call('did_create', w.resellerA.username, p('1'), H)).toBe(
      pageStatusErrorXml('Your are not authorized to use this Provider'),
    );
    expect(await call('did_create', 'admin', p(''), H)).toBe(pageStatusErrorXml('Invalid DID specified'));
    expect(await call('did_create', 'admin', p('37a'), H)).toBe(pageStatusErrorXml('Invalid DID specified'));
    expect(await call('did_create', w.accountant.username, p('3702000001'), H)).toMatch(/DID created/);
    expect(await call('did_create', 'admin', p('3702000001'), H)).toBe(pageStatusErrorXml('DID already exists'));
  });

  it('refuses a reseller a number of an admin Quickforwards rule not assigned to it: DID creation failed', async () => {
    const own = await createProvider(api.handle, w.resellerA.id);
    const rule = await createQuickforwardsRule(api.handle, 0, '3709[1,2]%');
    const p = (did: string) => ({ provider_id: String(own.id), did });
    expect(await call('did_create', w.resellerA.username, p('370915'), ['provider_id', 'did'])).toBe(
      pageStatusErrorXml('DID creation failed'),
    );
    expect(await call('did_create', w.resellerA.username, p('370935'), ['provider_id', 'did'])).toMatch(/DID created/);
    await api.handle.db.update(users).set({ quickforwardsRuleId: rule.id }).where(eq(users.id, w.resellerA.id));
    expect(await call('did_create', w.resellerA.username, p('370925'), ['provider_id', 'did'])).toMatch(/DID created/);
  });
});
