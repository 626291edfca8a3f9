import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { locationRules } from '../../src/db/schema/devices.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createLcr, createLocation, createTariff, insertDevice, insertDid } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;

type Rule = typeof locationRules.$inferSelect;
const ruleTags = (r: Rule): [string, string | number][] => [
  ['id', r.id],
  ['location_id', r.locationId],
  ['name', r.name],
  ['enabled', r.enabled],
  ['cut', r.cut],
  ['add', r.add],
  ['minlen', r.minlen],
  ['maxlen', r.maxlen],
  ['lr_type', r.lrType],
  ['lcr_id', r.lcrId ?? ''],
  ['tariff_id', r.tariffId ?? ''],
  ['did_id', r.didId ?? ''],
  ['device_id', r.deviceId ?? ''],
  ['change_callerid_name', r.changeCalleridName],
  ['src_cut', r.srcCut],
  ['src_add', r.srcAdd],
  ['src_minlen', r.srcMinlen],
  ['src_maxlen', r.srcMaxlen],
  ['locationgroup_id', r.locationgroupId],
];
const ruleXml = (r: Rule, indent: string) =>
  `${indent}<location_rule>\n${ruleTags(r)
    .map(([t, x]) => `${indent}  <${t}>${x}</${t}>\n`)
    .join('')}${indent}</location_rule>\n`;
const locationXml = (id: number, name: string, rules: Rule[]) =>
  `    <location>\n      <id>${id}</id>\n      <name>${name}</name>\n${rules.map((r) => ruleXml(r, '      ')).join('')}    </location>\n`;
const listXml = (items: string) => `${DECL}\n<page>\n  <status>\n${items}  </status>\n</page>\n`;
const createdXml = (id: number) =>
  `${DECL}\n<page>\n  <status>\n    <success>Rule created</success>\n    <rule_id>${id}</rule_id>\n  </status>\n</page>\n`;
const ruleById = async (id: number) =>
  (await api.handle.db.select().from(locationRules).where(eq(locationRules.id, id)))[0]!;

/** Creates a rule through location_rule_create as `u`; answers the stored row. */
async function create(u: string, locationId: number, params: Record<string, string>) {
  const body = await call('location_rule_create', u, { location_id: String(locationId), ...params }, ['location_id']);
  const id = Number(/<rule_id>(\d+)<\/rule_id>/.exec(body)?.[1]);
  expect(body).toBe(createdXml(id));
  return ruleById(id);
}

beforeAll(async () => {
  // Location 1 is Global (the first location of a fresh database).
  expect((await createLocation(api.handle, 0, 'Global')).id).toBe(1);
  w = await makeWorld(api);
  call = callAs(api, w);
});

describe('location_rule_create and location_rules_get / location_rule_get', () => {
  it('creates with defaults and every field; lists one location, all, and pages', async () => {
    const loc = await createLocation(api.handle, 0, 'Main');
    const tariff = await createTariff(api.handle, { purpose: 'user' });
    const lcr = await createLcr(api.handle, 0);
    const did = await insertDid(api.handle, { did: '37060000001' });
    const device = await insertDevice(api.handle, w.adminUser.id);
    const a = await create('admin', loc.id, { name: 'STANDARD prefix', cut: '10#', minlen: '10', maxlen: '20' });
    expect(a).toMatchObject({ enabled: 1, lrType: 'dst', add: '', srcMinlen: 1, srcMaxlen: 99, lcrId: null });
    const b = await create(w.accountant.username, loc.id, {
      name: 'Combined',
      lr_type: 'combined',
      cut: '00',
      add: '+',
      src_cut: '8',
      src_add: '370',
      src_minlen: '2',
      src_maxlen: '30',
      tariff_id: String(tariff.id),
      lcr_id: String(lcr.id),
      did_id: String(did.id),
      device_id: String(device.id),
      change_callerid_name: '1',
      enabled: '0',
      location_group_id: '0',
    });
    expect(b).toMatchObject({ tariffId: tariff.id, lcrId: lcr.id, didId: did.id, deviceId: device.id, enabled: 0 });
    const g = await create('admin', 1, { name: 'Global rule', add: '370' });
    const one = listXml(locationXml(loc.id, 'Main', [a, b]));
    expect(await call('location_rules_get', 'admin', { location_id: String(loc.id) }, ['location_id'])).toBe(one);
    expect(
      await call('location_rules_get', w.accountant.username, { location_id: String(loc.id) }, ['location_id']),
    ).toBe(one);
    const all = (extra: Record<string, string>) =>
      call('location_rules_get', 'admin', { location_id: 'all', ...extra }, ['location_id']);
    expect(await all({})).toBe(listXml(locationXml(1, 'Global', [g]) + locationXml(loc.id, 'Main', [a, b])));
    expect(await all({ from: '1', max_results: '1' })).toBe(listXml(locationXml(loc.id, 'Main', [a])));
    expect(await all({ from: '3' })).toBe(`${DECL}\n<page>\n  <status></status>\n</page>\n`);
    const empty = await createLocation(api.handle, 0, 'Empty');
    expect(await call('location_rules_get', 'admin', { location_id: String(empty.id) }, ['location_id'])).toBe(
      listXml(`    <location>\n      <id>${empty.id}</id>\n      <name>Empty</name>\n    </location>\n`),
    );
    expect(await call('location_rule_get', 'admin', { location_rule_id: String(b.id) }, ['location_rule_id'])).toBe(
      `${DECL}\n<page>\n  <status>\n${ruleXml(b, '    ')}  </status>\n</page>\n`,
    );
    const viaApi = await api.call(
      'location_rules_get',
      { u: 'admin', location_id: String(loc.id) },
      {
        hashOf: ['location_id'],
        prefix: '/api',
      },
    );
    expect(viaApi.body).toBe(one);
    expect(await call('location_rules_get', 'admin', { location_id: String(loc.id) }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'location_rule_created'));
    expect(log).toMatchObject({ targetId: a.id, data: 'STANDARD prefix' });
  });

  it('answers the create errors in order and stores nothing', async () => {
    const loc = await createLocation(api.handle, 0);
    const ra = await createLocation(api.handle, w.resellerA.id);
    const foreignLcr = await createLcr(api.handle, w.resellerA.id);
    const foreignDid = await insertDid(api.handle, { did: '37060000002', resellerId: w.resellerB.id });
    const foreignDevice = await insertDevice(api.handle, w.userB.id);
    const providerTariff = await createTariff(api.handle, { purpose: 'provider' });
    await create('admin', loc.id, { name: 'dup', cut: '1' });
    const ask = (params: Record<string, string>, locationId: number | string = loc.id, u = 'admin') =>
      call('location_rule_create', u, { location_id: String(locationId), ...params }, ['location_id']);
    const e = pageStatusErrorXml;
    const cases: [Record<string, string>, string, (number | string)?][] = [
      [{ name: 'x', cut: '1' }, 'Location not found', 999999],
      [{ name: 'x', cut: '1' }, 'Location error', ra.id],
      [{ cut: '1' }, 'Rule must have name'],
      [{ name: 'x' }, 'Cut and Add cannot be empty'],
      [{ name: 'x', cut: '1', tariff_id: String(providerTariff.id) }, 'Tariff was not found'],
      [{ name: 'x', cut: '1', lcr_id: '999999' }, 'LCR was not found'],
      [{ name: 'x', cut: '1', lcr_id: String(foreignLcr.id) }, 'Cannot assign lcr'],
      [{ name: 'x', cut: '1', did_id: '999999' }, 'DID was not found'],
      [{ name: 'x', cut: '1', device_id: '999999' }, 'Device not found'],
      [{ name: 'x', cut: '1', device_id: String(foreignDevice.id) }, 'Cannot assign device'],
      [{ name: 'x', cut: '1', location_group_id: '5' }, 'Location Group was not found'],
      [{ name: 'x', cut: '1', minlen: 'a' }, 'Rule was not created'],
      [{ name: 'x', cut: '1', minlen: '9', maxlen: '3' }, 'Rule was not created'],
      [{ name: 'x', cut: '1', lr_type: 'both' }, 'Rule was not created'],
      [{ name: 'again', cut: '1' }, 'Rule must be unique'],
    ];
    for (const [params, message, at] of cases) expect(await ask(params, at ?? loc.id)).toBe(e(message));
    // A reseller's location: the DID must be the reseller's.
    expect(await ask({ name: 'x', cut: '1', did_id: String(foreignDid.id) }, ra.id, w.resellerA.username)).toBe(
      e('Cannot assign did'),
    );
    expect((await api.handle.db.select().from(locationRules).where(eq(locationRules.locationId, loc.id))).length).toBe(
      1,
    );
  });

  it('reach and roles: a reseller reads and writes its own locations; users are denied', async () => {
    const ra = await createLocation(api.handle, w.resellerA.id, 'RA loc');
    const admins = await createLocation(api.handle, 0, 'Admin loc');
    const r = await create(w.resellerA.username, ra.id, { name: 'r', cut: '5' });
    const adminRule = await create('admin', admins.id, { name: 'a', cut: '5' });
    const get = (u: string, id: number | string) =>
      call('location_rules_get', u, { location_id: String(id) }, ['location_id']);
    expect(await get(w.resellerA.username, ra.id)).toBe(listXml(locationXml(ra.id, 'RA loc', [r])));
    expect(await get('admin', ra.id)).toBe(listXml(locationXml(ra.id, 'RA loc', [r])));
    for (const id of [admins.id, 1, 999999, 'x']) {
      expect(await get(w.resellerA.username, id)).toBe(pageStatusErrorXml('Location was not found'));
    }
    expect(await get(w.resellerB.username, ra.id)).toBe(pageStatusErrorXml('Location was not found'));
    expect(await call('location_rules_get', w.resellerA.username, { location_id: 'all' }, ['location_id'])).toBe(
      listXml(locationXml(ra.id, 'RA loc', [r])),
    );
    const getRule = (u: string, id: number) =>
      call('location_rule_get', u, { location_rule_id: String(id) }, ['location_rule_id']);
    expect(await getRule(w.resellerB.username, r.id)).toBe(pageStatusErrorXml('Location rule was not found'));
    expect(await getRule(w.resellerA.username, adminRule.id)).toBe(pageStatusErrorXml('Location rule was not found'));
    expect(await getRule('admin', 999999)).toBe(pageStatusErrorXml('Location rule was not found'));
    for (const u of [w.userA.username, 'nobody']) {
      expect(await get(u, ra.id)).toBe(pageStatusErrorXml('Access denied'));
      expect(await getRule(u, r.id)).toBe(pageStatusErrorXml('Access denied'));
      expect(
        await call('location_rule_create', u, { location_id: String(ra.id), name: 'n', cut: '1' }, ['location_id']),
      ).toBe(pageStatusErrorXml('Access Denied'));
    }
    // The admin writes only under the admin account.
    expect(
      await call('location_rule_create', 'admin', { location_id: String(ra.id), name: 'n', cut: '1' }, ['location_id']),
    ).toBe(pageStatusErrorXml('Location error'));
    expect(await call('location_rule_get', 'admin', { location_rule_id: String(r.id) }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });
});

describe('location_rule_update, location_rule_delete, location_rule_copy', () => {
  it('updates only the sent fields, -1 unassigns; errors', async () => {
    const loc = await createLocation(api.handle, 0);
    const lcr = await createLcr(api.handle, 0);
    const r = await create('admin', loc.id, { name: 'u', cut: '8683', lcr_id: String(lcr.id) });
    await create('admin', loc.id, { name: 'other', cut: '9' });
    const upd = (params: Record<string, string>, u = 'admin', id = r.id) =>
      call('location_rule_update', u, { location_rule_id: String(id), ...params }, ['location_rule_id']);
    expect(await upd({ add: '370683', minlen: '1', maxlen: '97' })).toBe(pageSuccessXml('Rule updated'));
    expect(await ruleById(r.id)).toMatchObject({ name: 'u', cut: '8683', add: '370683', maxlen: 97, lcrId: lcr.id });
    expect(await upd({ lcr_id: '-1' })).toBe(pageSuccessXml('Rule updated'));
    expect((await ruleById(r.id)).lcrId).toBeNull();
    expect(await upd({ cut: '9', add: '', maxlen: '99' })).toBe(pageStatusErrorXml('Rule must be unique'));
    expect(await upd({ maxlen: 'x' })).toBe(pageStatusErrorXml('Rule was not updated'));
    expect(await upd({ name: '' })).toBe(pageStatusErrorXml('Rule must have name'));
    expect(await upd({ lcr_id: '999999' })).toBe(pageStatusErrorXml('LCR was not found'));
    expect(await upd({ name: 'n' }, 'admin', 999999)).toBe(pageStatusErrorXml('Location rule was not found'));
    expect(await upd({ name: 'n' }, w.resellerA.username)).toBe(pageStatusErrorXml('Location rule was not found'));
    expect(await upd({ name: 'n' }, w.userA.username)).toBe(pageStatusErrorXml('Access Denied'));
    expect(await call('location_rule_update', 'admin', { location_rule_id: String(r.id), name: 'n' }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'location_rule_updated'));
    expect(JSON.parse(log!.data2)).toMatchObject({ add: '370683' });
  });

  it('copies into another location (documented check order) and deletes', async () => {
    const src = await createLocation(api.handle, 0, 'Src');
    const dst = await createLocation(api.handle, 0, 'Dst');
    const ra = await createLocation(api.handle, w.resellerA.id);
    const rb = await createLocation(api.handle, w.resellerB.id);
    const r = await create('admin', src.id, { name: 'c', cut: '00', add: '+' });
    const copy = (u: string, ruleId: number, locationId: number) =>
      call('location_rule_copy', u, { location_rule_id: String(ruleId), location_id: String(locationId) }, [
        'location_rule_id',
        'location_id',
      ]);
    expect(await copy('admin', r.id, dst.id)).toBe(pageSuccessXml('Rule copied'));
    const [copied] = await api.handle.db.select().from(locationRules).where(eq(locationRules.locationId, dst.id));
    expect(copied).toMatchObject({ name: 'c', cut: '00', add: '+' });
    expect(copied!.id).not.toBe(r.id);
    expect(await copy('admin', r.id, dst.id)).toBe(pageStatusErrorXml('Rule must be unique'));
    expect(await copy('admin', r.id, ra.id)).toBe(pageSuccessXml('Rule copied'));
    expect(await copy('admin', r.id, 999999)).toBe(pageStatusErrorXml('Location was not found'));
    expect(await copy('admin', 999999, dst.id)).toBe(pageStatusErrorXml('Location rule was not found'));
    expect(await copy(w.resellerA.username, r.id, rb.id)).toBe(pageStatusErrorXml('Location error'));
    expect(await copy(w.resellerA.username, r.id, ra.id)).toBe(pageStatusErrorXml('Location rule was not found'));
    expect(await copy(w.userA.username, r.id, ra.id)).toBe(pageStatusErrorXml('Access Denied'));
    // The documented URL has a double slash.
    const dbl = await api.call(
      'location_rule_copy',
      { u: 'admin', location_rule_id: String(r.id), location_id: String(rb.id) },
      {
        hashOf: ['location_rule_id', 'location_id'],
        prefix: '//billing/api',
      },
    );
    expect(dbl.body).toBe(pageSuccessXml('Rule copied'));
    expect(
      await call('location_rule_copy', 'admin', { location_rule_id: String(r.id), location_id: String(dst.id) }, [
        'location_id',
        'location_rule_id',
      ]),
    ).toBe(statusErrorXml('Incorrect hash'));

    const del = (u: string, id: number) =>
      call('location_rule_delete', u, { location_rule_id: String(id) }, ['location_rule_id']);
    expect(await del(w.resellerA.username, copied!.id)).toBe(pageStatusErrorXml('Rule was not found'));
    expect(await del('admin', 999999)).toBe(pageStatusErrorXml('Rule was not found'));
    expect(await del(w.userA.username, copied!.id)).toBe(pageStatusErrorXml('Access denied'));
    expect(await del('admin', copied!.id)).toBe(pageSuccessXml('Rule deleted'));
    expect(await api.handle.db.select().from(locationRules).where(eq(locationRules.id, copied!.id))).toEqual([]);
    const res = await api.call(
      'location_rule_delete',
      { u: 'admin', location_rule_id: String(r.id) },
      {
        hashOf: ['location_rule_id'],
        prefix: '/api',
      },
    );
    expect(res.body).toBe(pageSuccessXml('Rule deleted'));
  });
});

describe('tRPC locationRules.*', () => {
  it('create/list/get/update/copy/delete, scoped like the XML side', async () => {
    const admin = await callerAs(api, 'admin');
    const loc = await createLocation(api.handle, 0, 'T');
    const other = await createLocation(api.handle, 0, 'T2');
    const rule = await admin.locationRules.create({ locationId: loc.id, name: 'n', cut: '0' });
    expect(rule).toMatchObject({ locationId: loc.id, name: 'n', cut: '0', lrType: 'dst', maxlen: 99 });
    expect(await admin.locationRules.list({ locationId: loc.id })).toEqual([
      { id: loc.id, name: 'T', ownerId: 0, rules: [rule] },
    ]);
    expect(await admin.locationRules.update({ id: rule.id, add: '1' })).toMatchObject({ add: '1' });
    const copy = await admin.locationRules.copy({ id: rule.id, locationId: other.id });
    expect(copy).toMatchObject({ locationId: other.id, add: '1' });
    const reseller = await callerAs(api, w.resellerA.username);
    expect((await trpcError(() => reseller.locationRules.get({ id: rule.id }))).code).toBe('NOT_FOUND');
    const user = await callerAs(api, w.userA.username);
    expect((await trpcError(() => user.locationRules.list({ locationId: 'all' }))).code).toBe('FORBIDDEN');
    expect(await admin.locationRules.delete({ id: copy.id })).toEqual({ id: copy.id });
  });
});

describe('tRPC locations.* and XML rules in the locations they create', () => {
  it('create/list/update/delete per owner; XML location_rule_create accepts them within reach', async () => {
    const admin = await callerAs(api, 'admin');
    const resA = await callerAs(api, w.resellerA.username);
    const resB = await callerAs(api, w.resellerB.username);
    const acc = await callerAs(api, w.accountant.username);
    const vilnius = await admin.locations.create({ name: 'Vilnius' });
    expect(vilnius).toMatchObject({ name: 'Vilnius', ownerId: 0 });
    expect((await acc.locations.create({ name: 'Kaunas' })).ownerId).toBe(0);
    const riga = await resA.locations.create({ name: ' Riga ' });
    expect(riga).toMatchObject({ name: 'Riga', ownerId: w.resellerA.id });
    // A reseller sees its own only; the admin sees Global first and every location.
    const listA = await resA.locations.list();
    expect(listA).toContainEqual(riga);
    expect(listA.every((l) => l.ownerId === w.resellerA.id)).toBe(true);
    expect((await resB.locations.list()).some((l) => l.id === riga.id || l.id === 1)).toBe(false);
    const all = await admin.locations.list();
    expect(all[0]).toEqual({ id: 1, name: 'Global', ownerId: 0 });
    expect(all.map((l) => l.id)).toEqual(expect.arrayContaining([vilnius.id, riga.id]));

    // XML: rules in the new locations, each owner in its own only (exact strings of the page).
    const rule = await create('admin', vilnius.id, { name: 'v', cut: '8', add: '370' });
    expect(rule.locationId).toBe(vilnius.id);
    const resRule = await create(w.resellerA.username, riga.id, { name: 'r', cut: '8', add: '371' });
    expect(resRule.locationId).toBe(riga.id);
    const createIn = (u: string, id: number) =>
      call('location_rule_create', u, { location_id: String(id), name: 'x', cut: '9' }, ['location_id']);
    expect(await createIn(w.resellerA.username, vilnius.id)).toBe(pageStatusErrorXml('Location error'));
    expect(await createIn(w.resellerB.username, riga.id)).toBe(pageStatusErrorXml('Location error'));
    expect(await createIn('admin', riga.id)).toBe(pageStatusErrorXml('Location error'));
    expect(await createIn(w.userA.username, vilnius.id)).toBe(pageStatusErrorXml('Access Denied'));
    expect(
      await call('location_rules_get', w.resellerB.username, { location_id: String(riga.id) }, ['location_id']),
    ).toBe(pageStatusErrorXml('Location was not found'));

    // Names: blank, duplicate per owner (another owner may reuse it), Global's.
    expect((await trpcError(() => admin.locations.create({ name: '  ' }))).code).toBe('BAD_REQUEST');
    expect((await trpcError(() => admin.locations.create({ name: 'Vilnius' }))).message).toBe(
      'Location name must be unique',
    );
    expect((await trpcError(() => admin.locations.create({ name: 'global' }))).code).toBe('CONFLICT');
    expect((await resB.locations.create({ name: 'Riga' })).ownerId).toBe(w.resellerB.id);
    expect((await trpcError(() => admin.locations.create({ name: 'x', ownerId: 3 } as never))).code).toBe(
      'BAD_REQUEST',
    );

    // Update / delete: own locations only; Global neither renamed nor deleted.
    expect(await admin.locations.update({ id: vilnius.id, name: 'Vilnius city' })).toMatchObject({
      name: 'Vilnius city',
    });
    expect((await trpcError(() => resA.locations.update({ id: vilnius.id, name: 'mine' }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => admin.locations.update({ id: riga.id, name: 'mine' }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => admin.locations.update({ id: 1, name: 'World' }))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => admin.locations.delete({ id: 1 }))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => resB.locations.delete({ id: riga.id }))).code).toBe('NOT_FOUND');
    const user = await callerAs(api, w.userA.username);
    expect((await trpcError(() => user.locations.list())).code).toBe('FORBIDDEN');
    expect((await trpcError(() => user.locations.create({ name: 'u' }))).code).toBe('FORBIDDEN');

    // A location a device points to is in use; deleting one takes its rules with it.
    const device = await insertDevice(api.handle, w.adminUser.id);
    await api.handle.db.execute(sql`update devices set location_id = ${vilnius.id} where id = ${device.id}`);
    expect((await trpcError(() => admin.locations.delete({ id: vilnius.id }))).message).toBe('Location is in use');
    await api.handle.db.execute(sql`update devices set location_id = null where id = ${device.id}`);
    expect(await admin.locations.delete({ id: vilnius.id })).toEqual({ id: vilnius.id });
    expect(await api.handle.db.select().from(locationRules).where(eq(locationRules.id, rule.id))).toEqual([]);
    expect(await resA.locations.delete({ id: riga.id })).toEqual({ id: riga.id });
    const logged = await api.handle.db.select().from(actions).where(eq(actions.action, 'location_deleted'));
    expect(logged.map((a) => a.targetId)).toEqual(expect.arrayContaining([vilnius.id, riga.id]));
  });
});

describe('location groups (tRPC locationGroups.*, location_group_id of the rule methods)', () => {
  it('groups per owner; a combined rule names one of its location owner; refused otherwise', async () => {
    const admin = await callerAs(api, 'admin');
    const resA = await callerAs(api, w.resellerA.username);
    const eu = await admin.locationGroups.create({ name: 'EU', prefixes: ['49', '370', '33', '370'] });
    expect(eu).toMatchObject({ name: 'EU', ownerId: 0, prefixes: ['33', '370', '49'] });
    const resGroup = await resA.locationGroups.create({ name: 'EU' });
    expect(resGroup).toMatchObject({ ownerId: w.resellerA.id, prefixes: [] });
    expect(await resA.locationGroups.list()).toEqual([resGroup]);
    expect((await admin.locationGroups.list()).map((g) => g.id)).toEqual([eu.id]);
    expect((await trpcError(() => admin.locationGroups.create({ name: 'EU' }))).code).toBe('CONFLICT');
    expect((await trpcError(() => admin.locationGroups.create({ name: 'x', prefixes: ['4a'] }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await trpcError(() => resA.locationGroups.update({ id: eu.id, name: 'mine' }))).code).toBe('NOT_FOUND');
    expect(await admin.locationGroups.update({ id: eu.id, prefixes: ['49', '370'] })).toMatchObject({
      name: 'EU',
      prefixes: ['370', '49'],
    });
    const user = await callerAs(api, w.userA.username);
    expect((await trpcError(() => user.locationGroups.list())).code).toBe('FORBIDDEN');

    const loc = await admin.locations.create({ name: 'Groups' });
    const ra = await resA.locations.create({ name: 'Groups' });
    const rule = await create('admin', loc.id, {
      name: 'from EU',
      lr_type: 'combined',
      cut: '589000302',
      add: '302',
      location_group_id: String(eu.id),
    });
    expect(rule.locationgroupId).toBe(eu.id);
    expect(
      await call('location_rule_get', 'admin', { location_rule_id: String(rule.id) }, ['location_rule_id']),
    ).toContain(`<locationgroup_id>${eu.id}</locationgroup_id>`);
    // Another owner's group is answered like a missing one, in either direction; 0 clears.
    const refused = (u: string, id: number, group: number) =>
      call(
        'location_rule_create',
        u,
        { location_id: String(id), name: 'g', lr_type: 'combined', cut: '1', location_group_id: String(group) },
        ['location_id'],
      );
    expect(await refused('admin', loc.id, resGroup.id)).toBe(pageStatusErrorXml('Location Group was not found'));
    expect(await refused(w.resellerA.username, ra.id, eu.id)).toBe(pageStatusErrorXml('Location Group was not found'));
    expect(await refused('admin', loc.id, 999999)).toBe(pageStatusErrorXml('Location Group was not found'));
    const resRule = await create(w.resellerA.username, ra.id, {
      name: 'g',
      lr_type: 'combined',
      cut: '1',
      location_group_id: String(resGroup.id),
    });
    expect(resRule.locationgroupId).toBe(resGroup.id);
    // In use by a rule: not deleted; update with 0 unassigns it, then the group goes.
    expect((await trpcError(() => admin.locationGroups.delete({ id: eu.id }))).message).toBe(
      'Location Group is in use',
    );
    expect(await admin.locationRules.update({ id: rule.id, locationGroupId: '0' })).toMatchObject({
      locationgroupId: 0,
    });
    expect(await admin.locationGroups.delete({ id: eu.id })).toEqual({ id: eu.id });
  });
});
