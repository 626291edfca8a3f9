import { createProvider } from '../../domain/providers/createProvider.ts';
import { deleteProvider } from '../../domain/providers/deleteProvider.ts';
import { listProviders, type ProviderRow } from '../../domain/providers/listProviders.ts';
import { updateProvider } from '../../domain/providers/updateProvider.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, type XmlNode } from '../xml.ts';
import { ctxOf, guarded, idParam, pick } from './devices/support.ts';

const common = {
  family: 'providers',
  identity: 'caller',
  errorWrapper: pageError,
  unknownCaller: pageError('Access Denied'),
} as const;

/** Newer provider options: stored and echoed, no effect in openmor; their defaults when never set. */
const OPTION_DEFAULTS: readonly (readonly [string, string])[] = [
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

const money4 = (value: string) => {
  const [int = '0', frac = ''] = value.split('.');
  return `${int}.${frac.padEnd(4, '0').slice(0, 4)}`;
};

/** One `<provider>` in the documented tag order. */
export function providerXml(p: ProviderRow): XmlNode {
  const node: XmlNode = {
    id: p.id,
    name: p.name,
    tech: p.tech,
    channel: p.channel,
    login: p.login,
    password: p.password,
    server_ip: p.serverIp,
    port: p.port,
    priority: p.priority,
    quality: p.quality,
    tariff_id: p.tariffId ?? '',
    cut_a: p.cutA,
    cut_b: p.cutB,
    add_a: p.addA,
    add_b: p.addB,
    device_id: p.deviceId,
    ani: p.ani,
    timeout: p.timeout,
    call_limit: p.callLimit,
    interpret_noanswer_as_failed: p.interpretNoanswerAsFailed,
    interpret_busy_as_failed: p.interpretBusyAsFailed,
    register: p.register,
    reg_extension: p.regExtension,
    terminator_id: p.terminatorId,
    reg_line: p.regLine,
    hidden: p.hidden,
    use_p_asserted_identity: p.usePAssertedIdentity,
    user_id: p.userId,
    common_use: p.commonUse,
    balance: money4(p.balance),
    balance_limit: p.balanceLimit === null ? '' : money4(p.balanceLimit),
    cps_call_limit: p.cpsCallLimit,
    cps_period: p.cpsPeriod,
    alive: p.alive,
    periodic_check: p.periodicCheck,
    active: p.active,
  };
  for (const [tag, fallback] of OPTION_DEFAULTS) node[tag] = p.options[tag] ?? fallback;
  return node;
}

export const providersGet = defineMethod({
  ...common,
  name: 'providers_get',
  summary: "The caller's providers (a reseller: its own), or one of them.",
  callers: ['admin', 'accountant', 'reseller', 'user'],
  hash: [],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'provider_id', description: 'only this provider' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('page', async (call) => {
    const rows = await listProviders(ctxOf(call), { providerId: idParam(call.params, 'provider_id') });
    return page({ status: { providers: { provider: rows.map(providerXml) } } });
  }),
});

const FIELD_PARAMS = [
  ['name', 'name'],
  ['tech', 'tech'],
  ['tariff_id', 'tariffId'],
  ['server_ids', 'serverIds'],
  ['active', 'active'],
  ['dtmfmode', 'dtmfmode'],
  ['location_id', 'locationId'],
  ['timeout', 'timeout'],
  ['max_timeout', 'maxTimeout'],
  ['call_limit', 'callLimit'],
  ['balance_limit', 'balanceLimit'],
  ['login', 'login'],
  ['password', 'password'],
  ['register', 'register'],
  ['cid_name', 'cidName'],
  ['cid_number', 'cidNumber'],
  ['network_type', 'networkType'],
  ['server_ip', 'serverIp'],
  ['ipaddr', 'ipaddr'],
  ['port', 'port'],
  ['fromdomain', 'fromdomain'],
  ['fromuser', 'fromuser'],
] as const;

const FIELD_DOCS = [
  { name: 'server_ids', description: 'Asterisk servers, comma separated (default all)' },
  { name: 'active', description: '0/1 (default 1)' },
  { name: 'dtmfmode', description: 'inband, info, rfc2833 (default) or auto' },
  { name: 'location_id', description: 'location owned by the caller (default 1, Global)' },
  { name: 'timeout', description: 'ring timeout, seconds, at least 30 (default 60)' },
  { name: 'max_timeout', description: 'call timeout, seconds, 0 = none' },
  { name: 'call_limit', description: 'simultaneous calls, 0 = unlimited' },
  { name: 'balance_limit', description: 'decimal, . as separator; empty = none' },
  { name: 'login', description: 'trunk login (not anonymous/unknown)' },
  { name: 'password', description: 'trunk password' },
  { name: 'register', description: '0/1; forced 0 for dynamic peers' },
  { name: 'cid_name', description: 'forced CallerID name' },
  { name: 'cid_number', description: 'forced CallerID number' },
  { name: 'network_type', description: 'hostname, ip (default) or dynamic' },
  { name: 'server_ip', description: 'peer host or IPv4' },
  { name: 'ipaddr', description: 'same as server_ip (wins when both are sent)' },
  { name: 'port', description: 'peer port (default 5060)' },
  { name: 'fromdomain', description: 'SIP From domain' },
  { name: 'fromuser', description: 'SIP From user' },
] as const;

export const providerCreate = defineMethod({
  ...common,
  name: 'provider_create',
  summary: 'Creates a provider (trunk) with its provider tariff; admin only.',
  callers: ['admin', 'accountant', 'reseller', 'user'],
  hash: [],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (the admin)' },
    { name: 'name', required: true, description: 'provider name, unique' },
    { name: 'tech', required: true, description: 'dahdi, SIP, IAX2 or H323' },
    { name: 'tariff_id', required: true, description: 'a provider tariff' },
    ...FIELD_DOCS,
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('page', async (call) => {
    const { providerId } = await createProvider(ctxOf(call), pick(call.params, FIELD_PARAMS));
    return page({ status: { success: 'Provider successfully created', provider_id: providerId } });
  }),
});

export const providerUpdate = defineMethod({
  ...common,
  name: 'provider_update',
  summary: "Changes a provider's sent fields (not its tech); admin only.",
  callers: ['admin', 'accountant', 'reseller', 'user'],
  hash: [],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (the admin)' },
    { name: 'provider_id', required: true, description: 'provider to change' },
    { name: 'name', description: 'provider name, unique' },
    { name: 'tariff_id', description: 'a provider tariff' },
    ...FIELD_DOCS,
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('page', async (call) => {
    const fields = pick(
      call.params,
      FIELD_PARAMS.filter(([param]) => param !== 'tech'),
    );
    await updateProvider(ctxOf(call), { providerId: idParam(call.params, 'provider_id'), ...fields });
    return page({ status: { success: 'Provider updated' } });
  }),
});

export const providerDelete = defineMethod({
  ...common,
  name: 'provider_delete',
  summary: 'Deletes a provider no DID, LCR or call uses; admin only.',
  callers: ['admin', 'accountant', 'reseller', 'user'],
  // The sibling provider pages hash the key only; the public client's sha1(provider_id + key) is accepted too.
  hash: [],
  altHashes: [{ order: ['provider_id'] }],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (the admin)' },
    { name: 'provider_id', required: true, description: 'provider to delete' },
    { name: 'hash', required: true, description: 'sha1(key), or sha1(provider_id + key)' },
  ],
  run: guarded('page', async (call) => {
    await deleteProvider(ctxOf(call), { providerId: idParam(call.params, 'provider_id') });
    return page({ status: { success: 'Provider successfully deleted' } });
  }),
});
