import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { providerRules } from '../../src/db/schema/lcrs.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createProvider, createTariff } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let reader: Awaited<ReturnType<typeof createAccountant>>;
let writer: Awaited<ReturnType<typeof createAccountant>>;

const CREATE_HASH = ['provider_id', 'name', 'cut', 'add'];
const ruleXml = (r: Record<string, string | number>) => {
  const tags: [string, string | number][] = [
    ['id', r.id!],
    ['provider_id', r.provider_id!],
    ['name', r.name!],
    ['enabled', 1],
    ['cut', r.cut ?? ''],
    ['add', r.add ?? ''],
    ['minlen', r.minlen ?? 1],
    ['maxlen', r.maxlen ?? 100],
    ['pr_type', r.pr_type ?? 'dst'],
    ['change_callerid_name', r.change_callerid_name ?? 0],
    ['tariff_id', r.tariff_id ?? ''],
    ['set_pai', r.set_pai ?? 0],
    ['suffix', r.suffix ?? ''],
  ];
  return `      <provider_rule>\n${tags.map(([t, x]) => `        <${t}>${x}</${t}>\n`).join('')}      </provider_rule>\n`;
};
const listXml = (items: string) =>
  `${DECL}\n<page>\n  <status>\n    <provider_rules>\n${items}    </provider_rules>\n  </status>\n</page>\n`;
const rulesOf = (providerId: number) =>
  api.handle.db.select().from(providerRules).where(eq(providerRules.providerId, providerId)).orderBy(providerRules.id);

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  reader = await createAccountant(api.handle, { manage_provider: 1 });
  writer = await createAccountant(api.handle, { manage_provider: 2 });
  api.changed();
});

describe('provider_rule_create and provider_rules_get', () => {
  it('creates rules (documented digest order), lists them by id with every tag', async () => {
    const p = await createProvider(api.handle, 0);
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    expect(await call('provider_rules_get', 'admin', { provider_id: String(p.id) }, ['provider_id'])).toBe(
      pageErrorXml('Provider has no rules'),
    );
    const base = { provider_id: String(p.id), name: 'myrule', cut: '353', add: '0' };
    const res = await api.call('provider_rule_create', { u: 'admin', ...base }, { hashOf: CREATE_HASH });
    expect(res.body).toBe(pageSuccessXml('Rule added'));
    expect(
      await call(
        'provider_rule_create',
        writer.username,
        {
          provider_id: String(p.id),
          name: 'Second',
          add: '00',
          minlen: '5',
          maxlen: '12',
          tariff_id: String(tariff.id),
          set_pai: '1',
          suffix: '#',
          change_callerid_name: '1',
        },
        CREATE_HASH,
      ),
    ).toBe(pageSuccessXml('Rule added'));
    await call(
      'provider_rule_create',
      'admin',
      { provider_id: String(p.id), name: 'Src', cut: '1', pr_type: 'src' },
      CREATE_HASH,
    );
    const [a, b, c] = await rulesOf(p.id);
    const expected = listXml(
      ruleXml({ id: a!.id, provider_id: p.id, name: 'myrule', cut: '353', add: '0' }) +
        ruleXml({
          id: b!.id,
          provider_id: p.id,
          name: 'Second',
          add: '00',
          minlen: 5,
          maxlen: 12,
          tariff_id: tariff.id,
          set_pai: 1,
          suffix: '#',
          change_callerid_name: 1,
        }) +
        ruleXml({ id: c!.id, provider_id: p.id, name: 'Src', cut: '1', pr_type: 'src' }),
    );
    expect(await call('provider_rules_get', 'admin', { provider_id: String(p.id) }, ['provider_id'])).toBe(expected);
    expect(await call('provider_rules_get', reader.username, { provider_id: String(p.id) }, ['provider_id'])).toBe(
      expected,
    );
    const viaApi = await api.call(
      'provider_rules_get',
      { u: 'admin', provider_id: String(p.id) },
      {
        hashOf: ['provider_id'],
        prefix: '/api',
      },
    );
    expect(viaApi.body).toBe(expected);
    expect(await call('provider_rules_get', 'admin', { provider_id: String(p.id) }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'provider_rule_created'));
    expect(log).toMatchObject({ targetId: a!.id, data: 'myrule' });
  });

  it('answers the documented errors, first failure wins, and stores nothing', async () => {
    const p = await createProvider(api.handle, 0);
    const userTariff = await createTariff(api.handle, { purpose: 'user_wholesale' });
    const id = String(p.id);
    const cases: [Record<string, string>, string][] = [
      [{ provider_id: '999999', name: 'x', cut: '1' }, 'Provider was not found'],
      [{ name: 'x', cut: '1' }, 'Provider was not found'],
      [{ provider_id: id, name: ' ', cut: '', add: '' }, 'name cannot be blank'],
      [{ provider_id: id, name: 'x' }, 'both add and cut cannot be blank'],
      [{ provider_id: id, name: 'x', cut: '1', minlen: '0' }, 'Add failed'],
      [{ provider_id: id, name: 'x', cut: '1', minlen: '5', maxlen: '4' }, 'Add failed'],
      [{ provider_id: id, name: 'x', cut: '1', pr_type: 'both' }, 'Add failed'],
      [{ provider_id: id, name: 'x', cut: '1', pr_type: 'src', suffix: '9' }, 'Add failed'],
      [{ provider_id: id, name: 'x', cut: '1', set_pai: '2' }, 'Add failed'],
      [{ provider_id: id, name: 'x', cut: '1', tariff_id: String(userTariff.id) }, 'Add failed'],
    ];
    for (const [params, message] of cases)
      expect(await call('provider_rule_create', 'admin', params, CREATE_HASH)).toBe(pageErrorXml(message));
    expect(await rulesOf(p.id)).toEqual([]);
    expect(await call('provider_rule_create', 'admin', { provider_id: id, name: 'x', cut: '1' }, ['provider_id'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('reach: a reseller works with its own providers only; users, reader accountants and unknown u are denied', async () => {
    const own = await createProvider(api.handle, w.resellerA.id);
    const admins = await createProvider(api.handle, 0);
    const create = (u: string, p: number) =>
      call('provider_rule_create', u, { provider_id: String(p), name: 'r', cut: '1' }, CREATE_HASH);
    expect(await create(w.resellerA.username, own.id)).toBe(pageSuccessXml('Rule added'));
    expect(await create(w.resellerA.username, admins.id)).toBe(pageErrorXml('Provider was not found'));
    expect(await create(w.resellerB.username, own.id)).toBe(pageErrorXml('Provider was not found'));
    expect(
      await call('provider_rules_get', w.resellerB.username, { provider_id: String(own.id) }, ['provider_id']),
    ).toBe(pageErrorXml('Provider was not found'));
    expect(await call('provider_rules_get', 'admin', { provider_id: String(own.id) }, ['provider_id'])).toBe(
      pageErrorXml('Provider was not found'),
    );
    for (const u of [w.userA.username, w.accountantNone.username, 'nobody']) {
      expect(await create(u, admins.id)).toBe(pageErrorXml('Access Denied'));
      expect(await call('provider_rules_get', u, { provider_id: String(admins.id) }, ['provider_id'])).toBe(
        pageErrorXml('Access Denied'),
      );
    }
    expect(await create(reader.username, admins.id)).toBe(pageErrorXml('Access Denied'));
  });
});

describe('provider_rule_delete', () => {
  it('deletes a rule in reach; another owner’s or a missing one is not found', async () => {
    const own = await createProvider(api.handle, w.resellerA.id);
    const admins = await createProvider(api.handle, 0);
    await call(
      'provider_rule_create',
      w.resellerA.username,
      { provider_id: String(own.id), name: 'a', cut: '1' },
      CREATE_HASH,
    );
    await call('provider_rule_create', 'admin', { provider_id: String(admins.id), name: 'b', cut: '1' }, CREATE_HASH);
    const [ra] = await rulesOf(own.id);
    const [rb] = await rulesOf(admins.id);
    const del = (u: string, id: number | string) =>
      call('provider_rule_delete', u, { provider_rule_id: String(id) }, ['provider_rule_id']);
    const notFound = pageErrorXml('Provider rule was not found');
    expect(await del(w.resellerB.username, ra!.id)).toBe(notFound);
    expect(await del(w.resellerA.username, rb!.id)).toBe(notFound);
    expect(await del('admin', ra!.id)).toBe(notFound);
    expect(await del('admin', 999999)).toBe(notFound);
    expect(await del(w.userA.username, ra!.id)).toBe(pageErrorXml('Access Denied'));
    expect(await del(reader.username, rb!.id)).toBe(pageErrorXml('Access Denied'));
    expect(await call('provider_rule_delete', 'admin', { provider_rule_id: String(rb!.id) }, [])).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect(await del(w.resellerA.username, ra!.id)).toBe(pageSuccessXml('Provider rule was successfully deleted'));
    const res = await api.call(
      'provider_rule_delete',
      { u: 'admin', provider_rule_id: String(rb!.id) },
      {
        hashOf: ['provider_rule_id'],
        prefix: '/api',
      },
    );
    expect(res.body).toBe(pageSuccessXml('Provider rule was successfully deleted'));
    expect([...(await rulesOf(own.id)), ...(await rulesOf(admins.id))]).toEqual([]);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'provider_rule_deleted'));
    expect(log!.targetId).toBe(ra!.id);
  });
});

describe('tRPC providerRules.*', () => {
  it('create/list/get/delete, scoped like the XML side', async () => {
    const admin = await callerAs(api, 'admin');
    const p = await createProvider(api.handle, 0);
    expect(await admin.providerRules.list({ providerId: p.id })).toEqual([]);
    const rule = await admin.providerRules.create({ providerId: p.id, name: 'T', cut: '00', add: '+' });
    expect(rule).toMatchObject({ providerId: p.id, name: 'T', cut: '00', add: '+', enabled: 1, prType: 'dst' });
    expect(await admin.providerRules.list({ providerId: p.id })).toEqual([rule]);
    expect(await admin.providerRules.get({ id: rule.id })).toEqual(rule);
    const reseller = await callerAs(api, w.resellerA.username);
    expect((await trpcError(() => reseller.providerRules.get({ id: rule.id }))).code).toBe('NOT_FOUND');
    const user = await callerAs(api, w.userA.username);
    expect((await trpcError(() => user.providerRules.list({ providerId: p.id }))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => admin.providerRules.create({ providerId: p.id, name: 'T' }))).message).toBe(
      'both add and cut cannot be blank',
    );
    expect(await admin.providerRules.delete({ id: rule.id })).toEqual({ id: rule.id });
  });
});
