import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { lcrproviders, lcrs } from '../../src/db/schema/lcrs.ts';
import { users } from '../../src/db/schema/users.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createProvider, setConflines } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let reader: Awaited<ReturnType<typeof createAccountant>>;
let writer: Awaited<ReturnType<typeof createAccountant>>;

const NOT_AUTHORIZED = pageErrorXml('You are not authorized to use this functionality');
const NO_LCRS = pageErrorXml('No LCRs found');
const problems = (headline: string, ...messages: string[]) =>
  `${DECL}\n<page>\n  <error>${headline}</error>\n${messages.map((m) => `  <message>${m}</message>\n`).join('')}</page>\n`;
const createdXml = (id: number) =>
  `${DECL}\n<page>\n  <status>\n    <success>LCR successfully created</success>\n    <lcr_id>${id}</lcr_id>\n  </status>\n</page>\n`;
const lcrXml = (id: number, name: string, o: Partial<Record<string, string | number>> = {}) => {
  const tags: [string, string | number][] = [
    ['id', id],
    ['name', name],
    ['order', o.order ?? 'price'],
    ['first_provider_percent_limit', o.first ?? '0.0'],
    ['failover_provider_id', o.failover ?? ''],
    ['no_failover', o.no_failover ?? 0],
    ['minimal_rate_margin_percent', o.margin ?? '0.0'],
    ['quality_routing_id', -1],
    ['allow_loss_calls', o.loss ?? 0],
  ];
  return `    <lcr>\n${tags.map(([t, x]) => `      <${t}>${x}</${t}>\n`).join('')}    </lcr>\n`;
};
const listXml = (items: string) => `${DECL}\n<page>\n  <lcrs>\n${items}  </lcrs>\n</page>\n`;

/** Creates an LCR through lcr_create as `u`; answers its row. */
async function create(u: string, name: string, extra: Record<string, string> = {}) {
  const body = await call('lcr_create', u, { name, ...extra }, ['u']);
  const [row] = await api.handle.db.select().from(lcrs).where(eq(lcrs.name, name)).orderBy(desc(lcrs.id)).limit(1);
  expect(body).toBe(createdXml(row!.id));
  return row!;
}

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  reader = await createAccountant(api.handle, { manage_provider: 1 });
  writer = await createAccountant(api.handle, { manage_provider: 2 });
  api.changed();
});

describe('lcr_create and lcrs_get', () => {
  it('creates with defaults, lists by id with every tag; s_name filters exactly; documented digest', async () => {
    const res = await api.call(
      'lcr_create',
      { u: 'admin', name: 'BLANK' },
      { hash: '69590c5075137e4e42658c15f8f73d982e76b056' },
    );
    const [blank] = await api.handle.db.select().from(lcrs).where(eq(lcrs.name, 'BLANK'));
    expect(res.body).toBe(createdXml(blank!.id));
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'lcr_created'));
    expect(log).toMatchObject({ targetId: blank!.id, data: 'BLANK' });
    const second = await create(writer.username, 'Second', { order: 'priority' });
    expect(second.ownerId).toBe(0);
    const all = listXml(lcrXml(blank!.id, 'BLANK') + lcrXml(second.id, 'Second', { order: 'priority' }));
    const digest = await api.call('lcrs_get', { u: 'admin' }, { hash: '69590c5075137e4e42658c15f8f73d982e76b056' });
    expect(digest.body).toBe(all);
    expect(await call('lcrs_get', reader.username, {}, ['u'])).toBe(all);
    expect(await call('lcrs_get', 'admin', { s_name: 'BLANK' }, ['u'])).toBe(listXml(lcrXml(blank!.id, 'BLANK')));
    expect(await call('lcrs_get', 'admin', { s_name: 'blank' }, ['u'])).toBe(NO_LCRS);
    // `u` is hashed: a digest of the key alone is refused.
    expect(await call('lcrs_get', 'admin', {}, [])).toBe(statusErrorXml('Incorrect hash'));
    // The /api path serves it too.
    const viaApi = await api.call('lcrs_get', { u: 'admin', s_name: 'BLANK' }, { hashOf: ['u'], prefix: '/api' });
    expect(viaApi.body).toBe(listXml(lcrXml(blank!.id, 'BLANK')));
  });

  it("a reseller creates and lists its own; another reseller's and the admin's are not listed", async () => {
    expect(await call('lcrs_get', w.resellerB.username, {}, ['u'])).toBe(NO_LCRS);
    const own = await create(w.resellerA.username, 'BLANK');
    expect(own.ownerId).toBe(w.resellerA.id);
    expect(await call('lcrs_get', w.resellerA.username, {}, ['u'])).toBe(listXml(lcrXml(own.id, 'BLANK')));
    expect(await call('lcrs_get', w.resellerB.username, {}, ['u'])).toBe(NO_LCRS);
  });

  it('answers the validation problems under LCR was not created and stores nothing', async () => {
    await create('admin', 'Taken');
    const before = (await api.handle.db.select().from(lcrs)).length;
    expect(await call('lcr_create', 'admin', {}, ['u'])).toBe(problems('LCR was not created', 'Name cannot be blank'));
    expect(await call('lcr_create', 'admin', { name: 'Taken', order: 'cheap' }, ['u'])).toBe(
      problems('LCR was not created', 'Name must be unique', 'Order is invalid'),
    );
    expect((await api.handle.db.select().from(lcrs)).length).toBe(before);
  });

  it('roles: users and accountants without the right are not authorized; unknown u is Access Denied', async () => {
    for (const u of [w.userA.username, w.adminUser.username, w.accountantNone.username]) {
      expect(await call('lcrs_get', u, {}, ['u'])).toBe(NOT_AUTHORIZED);
      expect(await call('lcr_create', u, { name: 'X' }, ['u'])).toBe(NOT_AUTHORIZED);
    }
    expect(await call('lcr_create', reader.username, { name: 'X' }, ['u'])).toBe(NOT_AUTHORIZED);
    expect(await call('lcrs_get', 'nobody', {}, ['u'])).toBe(pageErrorXml('Access Denied'));
    expect(await call('lcr_create', 'nobody', { name: 'X' }, ['u'])).toBe(pageErrorXml('Access Denied'));
  });
});

describe('lcr_update and lcr_delete', () => {
  it('updates only the sent fields; errors; documented digest', async () => {
    const l = await create('admin', 'Upd');
    await create('admin', 'UpdOther');
    const res = await api.call(
      'lcr_update',
      { u: 'admin', lcr_id: String(l.id), name: 'Upd2', order: 'percent', first_provider_percent_limit: '12.5' },
      { hashOf: ['u', 'lcr_id'] },
    );
    expect(res.body).toBe(pageSuccessXml('LCR successfully updated'));
    await call(
      'lcr_update',
      'admin',
      { lcr_id: String(l.id), allow_loss_calls: '1', no_failover: '1', minimal_rate_margin_percent: '3.25' },
      ['u', 'lcr_id'],
    );
    expect(await call('lcrs_get', 'admin', { s_name: 'Upd2' }, ['u'])).toBe(
      listXml(lcrXml(l.id, 'Upd2', { order: 'percent', first: '12.5', margin: '3.25', loss: 1, no_failover: 1 })),
    );
    const id = String(l.id);
    expect(
      await call('lcr_update', 'admin', { lcr_id: id, name: '', order: 'x', no_failover: '2' }, ['u', 'lcr_id']),
    ).toBe(problems('LCR was not updated', 'Name cannot be blank', 'Order is invalid', 'No failover must be 0 or 1'));
    expect(
      await call(
        'lcr_update',
        'admin',
        { lcr_id: id, name: 'UpdOther', minimal_rate_margin_percent: 'a', quality_routing_id: '5' },
        ['u', 'lcr_id'],
      ),
    ).toBe(
      problems(
        'LCR was not updated',
        'Name must be unique',
        'Minimal rate margin percent must be a number',
        'Quality routing was not found',
      ),
    );
    const own = await create(w.resellerA.username, 'RA upd');
    for (const lcrId of ['999999', 'x', String(own.id)]) {
      expect(await call('lcr_update', 'admin', { lcr_id: lcrId, name: 'Z' }, ['u', 'lcr_id'])).toBe(NO_LCRS);
    }
    expect(await call('lcr_update', w.resellerB.username, { lcr_id: String(own.id) }, ['u', 'lcr_id'])).toBe(NO_LCRS);
    expect(
      await call('lcr_update', w.resellerA.username, { lcr_id: String(own.id), name: 'RA2' }, ['u', 'lcr_id']),
    ).toBe(pageSuccessXml('LCR successfully updated'));
    expect(await call('lcr_update', 'admin', { lcr_id: id, name: 'Q' }, ['u'])).toBe(statusErrorXml('Incorrect hash'));
    expect(await call('lcr_update', w.userA.username, { lcr_id: id }, ['u', 'lcr_id'])).toBe(NOT_AUTHORIZED);
    const [row] = await api.handle.db.select().from(lcrs).where(eq(lcrs.id, l.id));
    expect(row).toMatchObject({ name: 'Upd2', order: 'percent', noFailover: 1 });
  });

  it('deletes with its provider links; refuses one in use, foreign or missing', async () => {
    const l = await create('admin', 'Del');
    const p = await createProvider(api.handle, 0);
    await call('lcr_add_provider', 'admin', { lcr_id: String(l.id), provider_id: String(p.id) }, [
      'u',
      'lcr_id',
      'provider_id',
    ]);
    const used = await create('admin', 'Used');
    await api.handle.db.update(users).set({ lcrId: used.id }).where(eq(users.id, w.adminUser.id));
    expect(await call('lcr_delete', 'admin', { lcr_id: String(used.id) }, ['u', 'lcr_id'])).toBe(
      problems('LCR was not deleted', 'LCR is in use'),
    );
    const own = await create(w.resellerA.username, 'RA del');
    expect(await call('lcr_delete', w.resellerB.username, { lcr_id: String(own.id) }, ['u', 'lcr_id'])).toBe(NO_LCRS);
    expect(await call('lcr_delete', 'admin', { lcr_id: String(own.id) }, ['u', 'lcr_id'])).toBe(NO_LCRS);
    expect(await call('lcr_delete', 'admin', {}, ['u', 'lcr_id'])).toBe(NO_LCRS);
    expect(await call('lcr_delete', w.userA.username, { lcr_id: String(l.id) }, ['u', 'lcr_id'])).toBe(NOT_AUTHORIZED);
    expect(await call('lcr_delete', 'admin', { lcr_id: String(l.id) }, ['u'])).toBe(statusErrorXml('Incorrect hash'));
    const res = await api.call(
      'lcr_delete',
      { u: 'admin', lcr_id: String(l.id) },
      { hashOf: ['u', 'lcr_id'], prefix: '/api' },
    );
    expect(res.body).toBe(pageSuccessXml('LCR successfully deleted'));
    expect(await api.handle.db.select().from(lcrproviders).where(eq(lcrproviders.lcrId, l.id))).toEqual([]);
    expect(await api.handle.db.select().from(lcrs).where(eq(lcrs.id, l.id))).toEqual([]);
  });
});

const H = ['u', 'lcr_id', 'provider_id'];
const added = pageSuccessXml(' Provider successfully added ');
const removed = pageSuccessXml(' Provider successfully deleted ');

describe('lcr_delete and the Default User LCR', () => {
  it("refuses an LCR a Default User names (the admin's or a reseller's) until the setting changes", async () => {
    const del = (u: string, id: number) => call('lcr_delete', u, { lcr_id: String(id) }, ['u', 'lcr_id']);
    const refused = problems('LCR was not deleted', 'LCR is in use');
    const admins = await create('admin', 'Default admin');
    const resellers = await create(w.resellerA.username, 'Default RA');
    await setConflines(api.handle, 0, { default_user_lcr_id: String(admins.id) });
    await setConflines(api.handle, w.resellerA.id, { default_user_lcr_id: String(resellers.id) });
    expect(await del('admin', admins.id)).toBe(refused);
    expect(await del(w.resellerA.username, resellers.id)).toBe(refused);
    await setConflines(api.handle, 0, { default_user_lcr_id: '' });
    await setConflines(api.handle, w.resellerA.id, { default_user_lcr_id: '' });
    expect(await del('admin', admins.id)).toBe(pageSuccessXml('LCR successfully deleted'));
    expect(await del(w.resellerA.username, resellers.id)).toBe(pageSuccessXml('LCR successfully deleted'));
  });
});

describe('lcr_add_provider and lcr_delete_provider', () => {
  it('links main and failover providers (failover list drives failover_provider_id) and unlinks them', async () => {
    const l = await create('admin', 'Links');
    const [p1, p2, p3] = [
      await createProvider(api.handle, 0),
      await createProvider(api.handle, 0),
      await createProvider(api.handle, 0),
    ];
    const link = (p: number, extra: Record<string, string> = {}, u = 'admin') =>
      call('lcr_add_provider', u, { lcr_id: String(l.id), provider_id: String(p), ...extra }, H);
    const unlink = (p: number, extra: Record<string, string> = {}) =>
      call('lcr_delete_provider', 'admin', { lcr_id: String(l.id), provider_id: String(p), ...extra }, H);
    expect(await link(p1.id)).toBe(added);
    expect(await link(p2.id, {}, writer.username)).toBe(added);
    expect(await link(p3.id, { failover: '1' })).toBe(added);
    const rows = await api.handle.db.select().from(lcrproviders).where(eq(lcrproviders.lcrId, l.id));
    expect(rows.map((r) => [r.providerId, r.failover, r.priority])).toEqual([
      [p1.id, false, 1],
      [p2.id, false, 2],
      [p3.id, true, 1],
    ]);
    expect(await call('lcrs_get', 'admin', { s_name: 'Links' }, ['u'])).toBe(
      listXml(lcrXml(l.id, 'Links', { failover: p3.id })),
    );
    const notAdded = (m: string) => problems('Provider was not added', m);
    expect(await link(p1.id)).toBe(notAdded('Provider is already in LCR'));
    expect(await link(999999)).toBe(notAdded('Provider was not found'));
    const foreign = await createProvider(api.handle, w.resellerA.id);
    expect(await link(foreign.id)).toBe(notAdded('Provider was not found'));
    expect(await link(p2.id, { failover: '2' })).toBe(notAdded('Failover value is invalid'));
    expect(await link(p1.id, { failover: '1' })).toBe(added);
    // Removing: the failover list only with failover=1.
    expect(await unlink(p3.id)).toBe(problems('Provider was not deleted', 'Provider was not found'));
    expect(await unlink(p3.id, { failover: '1' })).toBe(removed);
    expect(await call('lcrs_get', 'admin', { s_name: 'Links' }, ['u'])).toBe(
      listXml(lcrXml(l.id, 'Links', { failover: p1.id })),
    );
    expect(await unlink(p2.id)).toBe(removed);
    expect(await unlink(p2.id)).toBe(problems('Provider was not deleted', 'Provider was not found'));
    // Hash order, LCR reach, roles.
    expect(
      await call('lcr_add_provider', 'admin', { lcr_id: String(l.id), provider_id: String(p2.id) }, ['u', 'lcr_id']),
    ).toBe(statusErrorXml('Incorrect hash'));
    expect(await link(p2.id, {}, w.resellerA.username)).toBe(NO_LCRS);
    expect(await link(p2.id, {}, reader.username)).toBe(NOT_AUTHORIZED);
    expect(await link(p2.id, {}, w.userA.username)).toBe(NOT_AUTHORIZED);
    expect(
      await call('lcr_delete_provider', w.resellerB.username, { lcr_id: String(l.id), provider_id: String(p1.id) }, H),
    ).toBe(NO_LCRS);
    expect(
      await call('lcr_delete_provider', w.userA.username, { lcr_id: String(l.id), provider_id: String(p1.id) }, H),
    ).toBe(NOT_AUTHORIZED);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'lcr_provider_deleted'));
    expect(log).toMatchObject({ targetId: l.id, data: String(p3.id), data2: '1' });
  });

  it("a reseller links its own providers to its own LCR, not the admin's", async () => {
    const l = await create(w.resellerA.username, 'RA links');
    const own = await createProvider(api.handle, w.resellerA.id);
    const admins = await createProvider(api.handle, 0);
    const link = (p: number) =>
      call('lcr_add_provider', w.resellerA.username, { lcr_id: String(l.id), provider_id: String(p) }, H);
    expect(await link(own.id)).toBe(added);
    expect(await link(admins.id)).toBe(problems('Provider was not added', 'Provider was not found'));
  });
});

describe('users route by real LCRs', () => {
  it('user_details_update and users.update accept an LCR in reach and refuse another owner’s', async () => {
    const mine = await create('admin', 'For users');
    const foreign = await create(w.resellerB.username, 'Foreign');
    const set = (lcrId: number) =>
      call('user_details_update', 'admin', { user_id: String(w.adminUser.id), u1: String(lcrId) }, ['user_id', 'u1']);
    expect(await set(foreign.id)).toBe(pageErrorXml('User was not updated'));
    expect(await set(mine.id)).toContain('User was updated');
    const [u] = await api.handle.db.select().from(users).where(eq(users.id, w.adminUser.id));
    expect(u!.lcrId).toBe(mine.id);
  });
});

describe('tRPC lcrs.*', () => {
  it('list/get/create/update/addProvider/deleteProvider/delete, scoped like the XML side', async () => {
    const admin = await callerAs(api, 'admin');
    const created = await admin.lcrs.create({ name: 'T1', order: 'priority' });
    expect(created).toMatchObject({ name: 'T1', order: 'priority', ownerId: 0, providers: [] });
    const p = await createProvider(api.handle, 0);
    const linked = await admin.lcrs.addProvider({ id: created.id, providerId: p.id });
    expect(linked.providers).toEqual([{ providerId: p.id, failover: false, priority: 1, percent: 0, active: true }]);
    expect(await admin.lcrs.update({ id: created.id, name: 'T2' })).toMatchObject({ name: 'T2' });
    expect((await admin.lcrs.list({ name: 'T2' })).map((l) => l.id)).toEqual([created.id]);
    expect(await admin.lcrs.list({ name: 'none' })).toEqual([]);
    expect((await admin.lcrs.deleteProvider({ id: created.id, providerId: p.id })).providers).toEqual([]);
    const reseller = await callerAs(api, w.resellerB.username);
    expect((await trpcError(() => reseller.lcrs.get({ id: created.id }))).code).toBe('NOT_FOUND');
    const user = await callerAs(api, w.userA.username);
    expect((await trpcError(() => user.lcrs.list({}))).code).toBe('FORBIDDEN');
    expect(await admin.lcrs.delete({ id: created.id })).toEqual({ id: created.id });
    expect((await trpcError(() => admin.lcrs.get({ id: created.id }))).code).toBe('NOT_FOUND');
  });
});
