import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { devices } from '../../src/db/schema/devices.ts';
import { providers } from '../../src/db/schema/dids.ts';
import { lcrproviders, lcrs } from '../../src/db/schema/lcrs.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { insertCalls } from '../helpers/calls.ts';
import { createAccountant, createLcr, createProvider, createTariff, insertDid } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, pageSuccessXml, type World } from './devicesWorld.ts';

const api = useTestApp();
let w: World;
let call: ReturnType<typeof callAs>;
let provRead: Awaited<ReturnType<typeof createAccountant>>;
let provWrite: Awaited<ReturnType<typeof createAccountant>>;

/** The full `<provider>` element of a provider with every default but the given values. */
function providerXml(
  id: number,
  v: { name: string; tech?: string; serverIp?: string; port?: number; tariffId?: number | '' },
) {
  const tags: [string, string | number][] = [
    ['id', id],
    ['name', v.name],
    ['tech', v.tech ?? 'SIP'],
    ['channel', ''],
    ['login', ''],
    ['password', ''],
    ['server_ip', v.serverIp ?? ''],
    ['port', v.port ?? 5060],
    ['priority', 1],
    ['quality', 1],
    ['tariff_id', v.tariffId ?? ''],
    ['cut_a', 0],
    ['cut_b', 0],
    ['add_a', ''],
    ['add_b', ''],
    ['device_id', 0],
    ['ani', 0],
    ['timeout', 60],
    ['call_limit', 0],
    ['interpret_noanswer_as_failed', 0],
    ['interpret_busy_as_failed', 0],
    ['register', 0],
    ['reg_extension', ''],
    ['terminator_id', 0],
    ['reg_line', ''],
    ['hidden', 0],
    ['use_p_asserted_identity', 0],
    ['user_id', -1],
    ['common_use', 0],
    ['balance', '0.0000'],
    ['balance_limit', ''],
    ['cps_call_limit', 0],
    ['cps_period', 0],
    ['alive', 1],
    ['periodic_check', 0],
    ['active', 1],
    ['contact_info_id', ''],
    ['contact_info_partners_id', ''],
    ['contact_info_noc_id', ''],
    ['contact_info_rates_provisioning_id', ''],
    ['contact_info_billing_provisioning_id', ''],
    ['tech_details_info', ''],
    ['privacy_from_domain', ''],
    ['privacy_callerid', '0'],
    ['playback_before_dial', '0'],
    ['playback_before_dial_mode', '0'],
    ['prov_enable_static_source_list', '0'],
    ['prov_static_source_list_id', ''],
    ['enable_mnp_tags', '0'],
    ['responsible_accountant_id', ''],
    ['sip_request_uri', ''],
    ['sip_to_uri', ''],
    ['prov_enable_static_destination_list', '0'],
    ['prov_static_destination_list_id', ''],
    ['use_tariffs_by_clis', '0'],
    ['use_default_tariff_if_by_cli_not_found', '0'],
  ];
  const body = tags.map(([t, x]) => `        <${t}>${x}</${t}>\n`).join('');
  return `      <provider>\n${body}      </provider>\n`;
}
const listXml = (items: string) =>
  items === ''
    ? `${DECL}\n<page>\n  <status>\n    <providers></providers>\n  </status>\n</page>\n`
    : `${DECL}\n<page>\n  <status>\n    <providers>\n${items}    </providers>\n  </status>\n</page>\n`;

beforeAll(async () => {
  w = await makeWorld(api);
  call = callAs(api, w);
  provRead = await createAccountant(api.handle, { manage_provider: 1 });
  provWrite = await createAccountant(api.handle, { manage_provider: 2 });
  api.changed();
});

describe('providers_get', () => {
  it('lists the realm providers by id with every tag in order; one with provider_id', async () => {
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const a = await createProvider(api.handle, 0, { name: 'BALTICTELCO.EU PLATINUM' });
    await api.handle.db
      .update(providers)
      .set({ serverIp: '78.46.61.254', tariffId: tariff.id })
      .where(eq(providers.id, a.id));
    const b = await createProvider(api.handle, 0, { name: 'Second' });
    const own = await createProvider(api.handle, w.resellerA.id, { name: 'Reseller A trunk' });
    const xa = providerXml(a.id, { name: 'BALTICTELCO.EU PLATINUM', serverIp: '78.46.61.254', tariffId: tariff.id });
    const xb = providerXml(b.id, { name: 'Second' });
    const all = listXml(xa + xb);
    expect(await call('providers_get', 'admin', {}, [])).toBe(all);
    expect(await call('providers_get', provRead.username, {}, [])).toBe(all);
    expect(await call('providers_get', 'admin', { provider_id: String(a.id) }, [])).toBe(listXml(xa));
    // A reseller sees its own providers only; another's or the admin's are "not found".
    expect(await call('providers_get', w.resellerA.username, {}, [])).toBe(
      listXml(providerXml(own.id, { name: 'Reseller A trunk' })),
    );
    expect(await call('providers_get', w.resellerB.username, {}, [])).toBe(listXml(''));
    for (const u of [w.resellerB.username, w.resellerA.username]) {
      expect(await call('providers_get', u, { provider_id: String(a.id) }, [])).toBe(
        pageErrorXml('Provider was not found'),
      );
    }
    expect(await call('providers_get', w.resellerB.username, { provider_id: String(own.id) }, [])).toBe(
      pageErrorXml('Provider was not found'),
    );
  });

  it('verifies the documented digest (key only; provider_id not hashed)', async () => {
    const res = await api.call(
      'providers_get',
      { u: 'admin', provider_id: '999999' },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    expect(res.body).toBe(pageErrorXml('Provider was not found'));
    expect(await call('providers_get', 'admin', { provider_id: '1' }, ['provider_id'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('answers Access Denied to simple users, accountants without the right, unknown callers', async () => {
    for (const u of [
      w.userA.username,
      w.adminUser.username,
      w.accountantNone.username,
      w.accountant.username,
      'nobody',
    ]) {
      expect(await call('providers_get', u, {}, [])).toBe(pageErrorXml('Access Denied'));
    }
    expect(await call('providers_get', 'admin', { provider_id: 'x' }, [])).toBe(pageErrorXml('Provider was not found'));
  });
});

const createdXml = (id: number) =>
  `${DECL}\n<page>\n  <status>\n    <success>Provider successfully created</success>\n    <provider_id>${id}</provider_id>\n  </status>\n</page>\n`;
const notCreated = (...messages: string[]) =>
  `${DECL}\n<page>\n  <error>Provider was not created</error>\n${messages.map((m) => `  <message>${m}</message>\n`).join('')}</page>\n`;

describe('provider_create', () => {
  it('creates with defaults and its trunk device, logs provider_created; documented digest (key only)', async () => {
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const res = await api.call(
      'provider_create',
      { u: 'admin', name: 'Trunk One', tech: 'SIP', tariff_id: String(tariff.id), server_ip: '10.0.0.1' },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    const [row] = await api.handle.db.select().from(providers).where(eq(providers.name, 'Trunk One'));
    expect(res.body).toBe(createdXml(row!.id));
    expect(row).toMatchObject({
      ownerId: 0,
      tech: 'SIP',
      tariffId: tariff.id,
      serverIp: '10.0.0.1',
      port: 5060,
      active: 1,
      dtmfmode: 'rfc2833',
      locationId: 1,
      timeout: 60,
      networkType: 'ip',
      balanceLimit: null,
    });
    const [device] = await api.handle.db.select().from(devices).where(eq(devices.id, row!.deviceId));
    expect(device).toMatchObject({ userId: -1, host: '10.0.0.1', ipaddr: '10.0.0.1', istrunk: 1, deviceType: 'SIP' });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'provider_created'));
    expect(log).toMatchObject({ targetId: row!.id, data: 'Trunk One' });
  });

  it('sets every optional field; dynamic forces register 0, server_ip dynamic, port 0; ipaddr wins', async () => {
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const base = { tech: 'iax2', tariff_id: String(tariff.id) };
    const body = await call(
      'provider_create',
      'admin',
      {
        ...base,
        name: 'Dyn',
        network_type: 'dynamic',
        register: '1',
        server_ip: '1.2.3.4',
        port: '5070',
        active: '0',
        dtmfmode: 'info',
        timeout: '30',
        max_timeout: '7200',
        call_limit: '5',
        balance_limit: '12.5',
        login: 'l',
        password: 'p',
        cid_name: 'N',
        cid_number: '123',
        fromdomain: 'd.example',
        fromuser: 'fu',
        server_ids: '1,3',
      },
      [],
    );
    const [dyn] = await api.handle.db.select().from(providers).where(eq(providers.name, 'Dyn'));
    expect(body).toBe(createdXml(dyn!.id));
    expect(dyn).toMatchObject({
      tech: 'IAX2',
      register: 0,
      serverIp: 'dynamic',
      port: 0,
      active: 0,
      dtmfmode: 'info',
      timeout: 30,
      maxTimeout: 7200,
      callLimit: 5,
      balanceLimit: '12.500000',
      login: 'l',
      password: 'p',
      cidName: 'N',
      cidNumber: '123',
      fromdomain: 'd.example',
      fromuser: 'fu',
      serverIds: '1,3',
    });
    await call('provider_create', 'admin', { ...base, name: 'Both', server_ip: '1.1.1.1', ipaddr: '2.2.2.2' }, []);
    const [both] = await api.handle.db.select().from(providers).where(eq(providers.name, 'Both'));
    expect(both!.serverIp).toBe('2.2.2.2');
  });

  it('answers the documented errors in order and changes nothing', async () => {
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const userTariff = await createTariff(api.handle, { purpose: 'user_wholesale' });
    const resellerTariff = await createTariff(api.handle, { purpose: 'provider', ownerId: w.resellerA.id });
    await createProvider(api.handle, 0, { name: 'Taken' });
    const t = String(tariff.id);
    const before = (await api.handle.db.select().from(providers)).length;
    const cases: [Record<string, string>, string][] = [
      [{ tech: 'SIP', tariff_id: t }, pageErrorXml('Provider name cannot be empty')],
      [{ name: '  ', tech: 'SIP', tariff_id: t }, pageErrorXml('Provider name cannot be empty')],
      [{ name: 'Taken', tech: 'bad', tariff_id: 'x' }, pageErrorXml('Provider name must be unique')],
      [{ name: 'New', tech: 'SIP' }, pageErrorXml('Invalid tariff')],
      [{ name: 'New', tech: 'SIP', tariff_id: String(userTariff.id) }, pageErrorXml('Invalid tariff')],
      [{ name: 'New', tech: 'SIP', tariff_id: String(resellerTariff.id) }, pageErrorXml('Invalid tariff')],
      [{ name: 'New', tariff_id: t }, notCreated('Tech must be one of: dahdi, SIP, IAX2, H323')],
      [
        { name: 'New', tech: 'ZAP', tariff_id: t, timeout: '29', port: '0', dtmfmode: 'x', network_type: 'x' },
        notCreated(
          'Tech must be one of: dahdi, SIP, IAX2, H323',
          'DTMF mode must be one of: inband, info, rfc2833, auto',
          'Timeout must be an integer of at least 30',
          'Network type must be one of: hostname, ip, dynamic',
          'Port must be a positive integer',
        ),
      ],
      [
        {
          name: 'New',
          tech: 'SIP',
          tariff_id: t,
          server_ids: '1,,2',
          active: '2',
          location_id: '999',
          login: 'Anonymous',
        },
        notCreated(
          'Server ids must be comma separated ids',
          'Active must be 0 or 1',
          'Location was not found',
          'Login cannot be anonymous or unknown',
        ),
      ],
      [
        {
          name: 'New',
          tech: 'SIP',
          tariff_id: t,
          max_timeout: '-1',
          call_limit: 'a',
          balance_limit: '1,5',
          register: 'y',
        },
        notCreated(
          'Max timeout must be a non-negative integer',
          'Call limit must be a non-negative integer',
          'Balance limit must be a number with . as decimal separator',
          'Register must be 0 or 1',
        ),
      ],
      [
        { name: 'New', tech: 'SIP', tariff_id: t, server_ip: 'host.example' },
        notCreated('Server IP must be an IPv4 address'),
      ],
      [
        { name: 'New', tech: 'SIP', tariff_id: t, network_type: 'hostname', server_ip: 'bad host' },
        notCreated('Hostname is not valid'),
      ],
    ];
    for (const [p, expected] of cases) expect(await call('provider_create', 'admin', p, [])).toBe(expected);
    expect((await api.handle.db.select().from(providers)).length).toBe(before);
    // Documented error only from the pipeline when the hash is wrong.
    expect(await call('provider_create', 'admin', { name: 'New', tech: 'SIP', tariff_id: t }, ['name'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('is the admin only: Access Denied to every other caller', async () => {
    const tariff = await createTariff(api.handle, { purpose: 'provider', ownerId: w.resellerA.id });
    const p = { name: 'Denied', tech: 'SIP', tariff_id: String(tariff.id) };
    for (const u of [provWrite.username, w.resellerA.username, w.userA.username, 'nobody']) {
      expect(await call('provider_create', u, p, [])).toBe(pageErrorXml('Access Denied'));
    }
    expect(await api.handle.db.select().from(providers).where(eq(providers.name, 'Denied'))).toEqual([]);
  });
});

const notUpdated = (...messages: string[]) =>
  `${DECL}\n<page>\n  <error>Provider was not updated</error>\n${messages.map((m) => `  <message>${m}</message>\n`).join('')}</page>\n`;

async function adminProvider(name: string) {
  const tariff = await createTariff(api.handle, { purpose: 'provider' });
  const body = await call('provider_create', 'admin', { name, tech: 'SIP', tariff_id: String(tariff.id) }, []);
  const [row] = await api.handle.db.select().from(providers).where(eq(providers.name, name));
  expect(body).toBe(createdXml(row!.id));
  return row!;
}

describe('provider_update', () => {
  it('changes only the sent fields, mirrors the trunk device, logs old/new; documented digest', async () => {
    const p = await adminProvider('Upd');
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const res = await api.call(
      'provider_update',
      {
        u: 'admin',
        provider_id: String(p.id),
        name: 'Test3221',
        tariff_id: String(tariff.id),
        server_ip: '9.9.9.9',
        tech: 'IAX2',
      },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    expect(res.body).toBe(pageSuccessXml('Provider updated'));
    const [row] = await api.handle.db.select().from(providers).where(eq(providers.id, p.id));
    expect(row).toMatchObject({ name: 'Test3221', tariffId: tariff.id, serverIp: '9.9.9.9', tech: 'SIP', timeout: 60 });
    const [device] = await api.handle.db.select().from(devices).where(eq(devices.id, p.deviceId));
    expect(device).toMatchObject({ host: '9.9.9.9', description: 'Test3221' });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'provider_updated'));
    expect(JSON.parse(log!.data)).toMatchObject({ name: 'Upd' });
    expect(JSON.parse(log!.data2)).toMatchObject({ name: 'Test3221', serverIp: '9.9.9.9' });
    // An empty text field clears it; an empty balance_limit removes the limit.
    await call('provider_update', 'admin', { provider_id: String(p.id), balance_limit: '5', login: 'x' }, []);
    expect(
      await call('provider_update', 'admin', { provider_id: String(p.id), balance_limit: '', login: '' }, []),
    ).toBe(pageSuccessXml('Provider updated'));
    const [cleared] = await api.handle.db.select().from(providers).where(eq(providers.id, p.id));
    expect(cleared).toMatchObject({ balanceLimit: null, login: '' });
  });

  it('answers the documented errors and changes nothing', async () => {
    const p = await adminProvider('UpdErr');
    await adminProvider('UpdOther');
    const userTariff = await createTariff(api.handle, { purpose: 'user' });
    const own = await createProvider(api.handle, w.resellerA.id, { name: 'RA' });
    const id = String(p.id);
    const cases: [Record<string, string>, string][] = [
      [{}, pageErrorXml('Provider was not found')],
      [{ provider_id: '999999' }, pageErrorXml('Provider was not found')],
      [{ provider_id: 'abc' }, pageErrorXml('Provider was not found')],
      [{ provider_id: String(own.id), name: 'Z' }, pageErrorXml('Provider was not found')],
      [{ provider_id: id, name: '' }, pageErrorXml('Provider name cannot be empty')],
      [{ provider_id: id, name: 'UpdOther' }, pageErrorXml('Provider name must be unique')],
      [{ provider_id: id, tariff_id: String(userTariff.id) }, pageErrorXml('Invalid tariff')],
      [
        { provider_id: id, timeout: '10', port: '70000' },
        notUpdated('Timeout must be an integer of at least 30', 'Port must be a positive integer'),
      ],
    ];
    for (const [params, expected] of cases) expect(await call('provider_update', 'admin', params, [])).toBe(expected);
    // Its own name is not a clash.
    expect(await call('provider_update', 'admin', { provider_id: id, name: 'UpdErr' }, [])).toBe(
      pageSuccessXml('Provider updated'),
    );
    const [row] = await api.handle.db.select().from(providers).where(eq(providers.id, p.id));
    expect(row).toMatchObject({ name: 'UpdErr', timeout: 60, port: 5060, tariffId: p.tariffId });
  });

  it('is the admin only', async () => {
    const own = await createProvider(api.handle, w.resellerA.id, { name: 'RA2' });
    const p = await adminProvider('UpdDenied');
    for (const [u, id] of [
      [provWrite.username, p.id],
      [w.resellerA.username, own.id],
      [w.userA.username, p.id],
      ['nobody', p.id],
    ] as const) {
      expect(await call('provider_update', u, { provider_id: String(id), name: 'Hacked' }, [])).toBe(
        pageErrorXml('Access Denied'),
      );
    }
    expect(await api.handle.db.select().from(providers).where(eq(providers.name, 'Hacked'))).toEqual([]);
  });
});

describe('provider_delete', () => {
  it('deletes a provider and its trunk device; key-only and sha1(provider_id + key) digests', async () => {
    const a = await adminProvider('Del1');
    const b = await adminProvider('Del2');
    expect(await call('provider_delete', 'admin', { provider_id: String(a.id) }, [])).toBe(
      pageSuccessXml('Provider successfully deleted'),
    );
    expect(await call('provider_delete', 'admin', { provider_id: String(b.id) }, ['provider_id'])).toBe(
      pageSuccessXml('Provider successfully deleted'),
    );
    expect(await api.handle.db.select().from(providers).where(eq(providers.id, a.id))).toEqual([]);
    expect(await api.handle.db.select().from(devices).where(eq(devices.id, a.deviceId))).toEqual([]);
    const logs = await api.handle.db.select().from(actions).where(eq(actions.action, 'provider_deleted'));
    expect(logs.map((l) => l.targetId)).toEqual([a.id, b.id]);
    expect(await call('provider_delete', 'admin', { provider_id: String(a.id) }, [])).toBe(
      pageErrorXml('Provider was not found'),
    );
    const c = await adminProvider('Del3');
    expect(await call('provider_delete', 'admin', { provider_id: String(c.id) }, ['u'])).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('refuses while a DID, an LCR list or an LCR failover uses it', async () => {
    const byDid = await adminProvider('UsedDid');
    await insertDid(api.handle, { did: '37060000111', providerId: byDid.id });
    const byLcr = await adminProvider('UsedLcr');
    const lcr = await createLcr(api.handle);
    await api.handle.db.insert(lcrproviders).values({ lcrId: lcr.id, providerId: byLcr.id, failover: true });
    const byFailover = await adminProvider('UsedFailover');
    await api.handle.db.insert(lcrs).values({ name: 'lf', failoverProviderId: byFailover.id });
    const byCall = await adminProvider('UsedCall');
    await insertCalls(api.handle, [{ userId: w.userA.id, calldate: '2026-11-02T10:00:00Z', providerId: byCall.id }]);
    for (const p of [byDid, byLcr, byFailover, byCall]) {
      expect(await call('provider_delete', 'admin', { provider_id: String(p.id) }, [])).toBe(
        pageErrorXml('Cannot delete provider'),
      );
      expect(await api.handle.db.select().from(providers).where(eq(providers.id, p.id))).toHaveLength(1);
    }
  });

  it('is the admin only; others are Access Denied', async () => {
    const own = await createProvider(api.handle, w.resellerA.id, { name: 'RA3' });
    const p = await adminProvider('DelDenied');
    for (const [u, id] of [
      [provWrite.username, p.id],
      [w.resellerA.username, own.id],
      [w.userA.username, p.id],
      ['nobody', p.id],
    ] as const) {
      expect(await call('provider_delete', u, { provider_id: String(id) }, [])).toBe(pageErrorXml('Access Denied'));
    }
    expect(await api.handle.db.select().from(providers).where(eq(providers.id, own.id))).toHaveLength(1);
  });
});
