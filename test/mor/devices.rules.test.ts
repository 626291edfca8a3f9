import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { deviceRules } from '../../src/db/schema/devices.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createUser, insertDevice, setConflines } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let partner: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  partner = await createUser(api.handle, { usertype: 'partner' });
  api.changed();
});

const rulesOf = (deviceId: number) =>
  api.handle.db.select().from(deviceRules).where(eq(deviceRules.deviceId, deviceId)).orderBy(deviceRules.id);
const CREATE_HASH = ['device_id'] as const;
const create = (u: string, params: Record<string, string>, hashOf: readonly string[] = CREATE_HASH) =>
  call('device_rule_create', u, params, hashOf);
const get = (u: string, id: number | string) => call('device_rules_get', u, { device_id: String(id) }, ['device_id']);
const del = (u: string, id: number | string) =>
  call('device_rule_delete', u, { device_rule_id: String(id) }, ['device_rule_id']);
const RULE_ADDED = pageSuccessXml('Rule added');
const DELETED = pageSuccessXml('Device rule was successfully deleted');

interface R {
  id: number;
  device: number;
  name: string;
  enabled?: number;
  cut?: string;
  add?: string;
  minlen?: number;
  maxlen?: number;
  type?: string;
  cidName?: number;
}
const listXml = (rows: R[]) =>
  [
    DECL,
    '<page>',
    '  <status>',
    '    <device_rules>',
    ...rows.flatMap((r) => [
      '      <device_rule>',
      `        <id>${r.id}</id>`,
      `        <device_id>${r.device}</device_id>`,
      `        <name>${r.name}</name>`,
      `        <enabled>${r.enabled ?? 1}</enabled>`,
      `        <cut>${r.cut ?? ''}</cut>`,
      `        <add>${r.add ?? ''}</add>`,
      `        <minlen>${r.minlen ?? 1}</minlen>`,
      `        <maxlen>${r.maxlen ?? 100}</maxlen>`,
      `        <pr_type>${r.type ?? 'dst'}</pr_type>`,
      `        <change_callerid_name>${r.cidName ?? 0}</change_callerid_name>`,
      '        <devicerulegroup_id>0</devicerulegroup_id>',
      '      </device_rule>',
    ]),
    '    </device_rules>',
    '  </status>',
    '</page>',
    '',
  ].join('\n');

describe('device_rule_create, device_rules_get, device_rule_delete', () => {
  it('creates rules (defaults and every option), lists them by id, deletes one; logs both', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const id = String(device.id);
    expect(await get('admin', device.id)).toBe(pageErrorXml('Device has no rules'));
    expect(await create('admin', { device_id: id, name: 'myrule', cut: '353', add: '0' })).toBe(RULE_ADDED);
    const full = {
      device_id: id,
      name: 'src <rule> & co',
      add: '370',
      minlen: '5',
      maxlen: '12',
      pr_type: 'src',
      change_callerid_name: '1',
    };
    expect(await create('admin', full)).toBe(RULE_ADDED);
    const [a, b] = await rulesOf(device.id);
    expect(await get('admin', device.id)).toBe(
      listXml([
        { id: a!.id, device: device.id, name: 'myrule', cut: '353', add: '0' },
        {
          id: b!.id,
          device: device.id,
          name: 'src &lt;rule&gt; &amp; co',
          add: '370',
          minlen: 5,
          maxlen: 12,
          type: 'src',
          cidName: 1,
        },
      ]),
    );
    expect(await del('admin', a!.id)).toBe(DELETED);
    expect((await rulesOf(device.id)).map((r) => r.id)).toEqual([b!.id]);
    expect(await del('admin', a!.id)).toBe(pageStatusErrorXml('Device rule was not found'));
    const logged = await api.handle.db.select().from(actions).where(eq(actions.targetType, 'device_rule'));
    expect(logged.map((l) => l.action)).toEqual(['device_rule_created', 'device_rule_created', 'device_rule_deleted']);
  });

  it('device_rule_create: every documented error, in order, changing nothing', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const id = String(device.id);
    const cases: [Record<string, string>, string][] = [
      [{ device_id: '999999', name: 'x', cut: '1' }, 'Device was not found'],
      [{ device_id: 'x', name: 'x', cut: '1' }, 'Device was not found'],
      [{ name: 'x', cut: '1' }, 'Device was not found'],
      [{ device_id: id, cut: '1' }, 'name cannot be blank'],
      [{ device_id: id, name: '  ', cut: '1' }, 'name cannot be blank'],
      [{ device_id: id, name: 'x' }, 'both add and cut cannot be blank'],
      [{ device_id: id, name: 'x', cut: '', add: '' }, 'both add and cut cannot be blank'],
      [{ device_id: id, name: 'x', cut: '1', pr_type: 'both' }, 'Add failed'],
      [{ device_id: id, name: 'x', cut: '1', minlen: 'ten' }, 'Add failed'],
      [{ device_id: id, name: 'x', cut: '1', maxlen: '-1' }, 'Add failed'],
      [{ device_id: id, name: 'x', cut: '1', change_callerid_name: 'yes' }, 'Add failed'],
    ];
    for (const [params, message] of cases) expect(await create('admin', params)).toBe(pageStatusErrorXml(message));
    expect(await rulesOf(device.id)).toEqual([]);
    // The old `cut cannot be blank` / `add cannot be blank` strings are gone: either one is enough.
    expect(await create('admin', { device_id: id, name: 'cut only', cut: '00' })).toBe(RULE_ADDED);
    expect(await create('admin', { device_id: id, name: 'add only', add: '00' })).toBe(RULE_ADDED);
  });

  it('device_rule_create: both documented digests, and `device` for a missing device_id', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    const id = String(device.id);
    const params = { device_id: id, name: 'myrule', cut: '353', add: '0' };
    expect(await create('admin', params, ['device_id', 'name', 'cut', 'add'])).toBe(RULE_ADDED);
    expect(await create('admin', params, ['device_id'])).toBe(RULE_ADDED);
    expect(await create('admin', params, ['name', 'device_id'])).toBe(statusErrorXml('Incorrect hash'));
    expect(await create('admin', params, ['u', 'device_id'])).toBe(statusErrorXml('Incorrect hash'));
    expect(await create('admin', { device: id, name: 'legacy', add: '1' }, ['device'])).toBe(RULE_ADDED);
    expect(await create('admin', { device: id, name: 'legacy2', add: '1' }, ['device', 'name', 'cut', 'add'])).toBe(
      RULE_ADDED,
    );
    expect((await rulesOf(device.id)).map((r) => r.name)).toEqual(['myrule', 'myrule', 'legacy', 'legacy2']);
    // Own computations of the page's example with key "secret".
    expect(await api.hash({ device_id: '2' }, ['device_id'])).toBe('38282ca5e65e63746498ef5b39a2fe71c6448df4');
    expect(
      await api.hash({ device_id: '2', name: 'myrule', cut: '353', add: '0' }, ['device_id', 'name', 'cut', 'add']),
    ).toBe('52d321577326f704767d0b6e5be330ab1c37357f');
  });

  it('device_rules_get and device_rule_delete hash their id only (u is not hashed)', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    await create('admin', { device_id: String(device.id), name: 'r', add: '1' });
    const [rule] = await rulesOf(device.id);
    const badGet = await api.call(
      'device_rules_get',
      { u: 'admin', device_id: String(device.id) },
      { hashOf: ['u', 'device_id'] },
    );
    expect(badGet.body).toBe(statusErrorXml('Incorrect hash'));
    const badDel = await api.call(
      'device_rule_delete',
      { u: 'admin', device_rule_id: String(rule!.id) },
      { hashOf: ['u', 'device_rule_id'] },
    );
    expect(badDel.body).toBe(statusErrorXml('Incorrect hash'));
    expect(await rulesOf(device.id)).toHaveLength(1);
    expect(await get('admin', 'x')).toBe(pageErrorXml('Device was not found'));
    expect(await get('admin', 999999)).toBe(pageErrorXml('Device was not found'));
    for (const id of ['x', '', '999999'])
      expect(await del('admin', id)).toBe(pageStatusErrorXml('Device rule was not found'));
  });

  it("reseller: its users' devices; another realm's or the admin's device answers like a missing one", async () => {
    const own = await insertDevice(api.handle, w.userA.id);
    const others = await insertDevice(api.handle, w.userB.id);
    const admins = await insertDevice(api.handle, w.adminUser.id);
    const r = w.resellerA.username;
    expect(await create(r, { device_id: String(own.id), name: 'mine', add: '1' })).toBe(RULE_ADDED);
    const [mine] = await rulesOf(own.id);
    expect(await get(r, own.id)).toBe(listXml([{ id: mine!.id, device: own.id, name: 'mine', add: '1' }]));
    for (const device of [others, admins]) {
      expect(await create('admin', { device_id: String(device.id), name: 'theirs', add: '1' })).toBe(RULE_ADDED);
      const [theirs] = await rulesOf(device.id);
      expect(await get(r, device.id)).toBe(pageErrorXml('Device was not found'));
      expect(await create(r, { device_id: String(device.id), name: 'x', add: '1' })).toBe(
        pageStatusErrorXml('Device was not found'),
      );
      expect(await del(r, theirs!.id)).toBe(pageStatusErrorXml('Device rule was not found'));
      expect(await rulesOf(device.id)).toHaveLength(1);
    }
    expect(await del(r, mine!.id)).toBe(DELETED);
  });

  it('accountant: Manage devices read lists, write changes; simple users and partners find nothing', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    const id = String(device.id);
    expect(await create(w.accountant.username, { device_id: id, name: 'acc', add: '9' })).toBe(RULE_ADDED);
    const [rule] = await rulesOf(device.id);
    const listed = listXml([{ id: rule!.id, device: device.id, name: 'acc', add: '9' }]);
    expect(await get(w.accountant.username, device.id)).toBe(listed);
    expect(await get(w.accountantRead.username, device.id)).toBe(listed);
    expect(await create(w.accountantRead.username, { device_id: id, name: 'ro', add: '9' })).toBe(
      pageStatusErrorXml('Device was not found'),
    );
    expect(await del(w.accountantRead.username, rule!.id)).toBe(pageStatusErrorXml('Device rule was not found'));
    expect(await get(w.accountantNone.username, device.id)).toBe(pageErrorXml('Device was not found'));
    // The device's own user and a partner: the pages' "not found".
    for (const u of [w.userA.username, partner.username]) {
      expect(await get(u, device.id)).toBe(pageErrorXml('Device was not found'));
      expect(await create(u, { device_id: id, name: 'u', add: '9' })).toBe(pageStatusErrorXml('Device was not found'));
      expect(await del(u, rule!.id)).toBe(pageStatusErrorXml('Device rule was not found'));
    }
    expect(await rulesOf(device.id)).toHaveLength(1);
    expect(await get('nobody_here', device.id)).toBe(statusErrorXml('Access Denied'));
    expect(await del(w.accountant.username, rule!.id)).toBe(DELETED);
  });

  it('device_delete takes the device rules with it', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    await create('admin', { device_id: String(device.id), name: 'gone', add: '1' });
    const body = await call('device_delete', 'admin', { device: String(device.id) }, ['device']);
    expect(body).not.toContain('<error>');
    expect(await rulesOf(device.id)).toEqual([]);
  });

  it('GET and API switches', async () => {
    const device = await insertDevice(api.handle, w.adminUser.id);
    expect(
      await call('device_rules_get', 'admin', { device_id: String(device.id) }, ['device_id'], { verb: 'GET' }),
    ).toBe(statusErrorXml('GET Requests are disabled'));
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await get('admin', device.id)).toBe(statusErrorXml('API Requests are disabled'));
      expect(await create('admin', { device_id: String(device.id), name: 'x', add: '1' })).toBe(
        statusErrorXml('API Requests are disabled'),
      );
      expect(await del('admin', 1)).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
    expect(await rulesOf(device.id)).toEqual([]);
  });
});
