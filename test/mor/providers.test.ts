import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/db/schema/dids.ts';
import { pageErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createProvider, createTariff } from '../helpers/factories.ts';
import { callAs, DECL, makeWorld, type World } from './devicesWorld.ts';

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
