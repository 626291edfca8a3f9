import { createLcr } from '../../domain/lcrs/createLcr.ts';
import { deleteLcr } from '../../domain/lcrs/deleteLcr.ts';
import { floatText, type LcrRow } from '../../domain/lcrs/lcrAccess.ts';
import { addLcrProvider, deleteLcrProvider } from '../../domain/lcrs/lcrProviders.ts';
import { listLcrs } from '../../domain/lcrs/listLcrs.ts';
import { updateLcr } from '../../domain/lcrs/updateLcr.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, type XmlNode } from '../xml.ts';
import { ctxOf, guarded, idParam, pick } from './devices/support.ts';

const common = {
  family: 'lcr',
  identity: 'caller',
  // Every role passes the pipeline; the domain answers the page's own "not authorized" string.
  callers: ['admin', 'accountant', 'reseller', 'user', 'partner'],
  errorWrapper: pageError,
  unknownCaller: pageError('Access Denied'),
} as const;

/** One `<lcr>` in the documented tag order; decimals as Ruby prints floats (`0.0`). */
export function lcrXml(l: LcrRow): XmlNode {
  return {
    id: l.id,
    name: l.name,
    order: l.order,
    first_provider_percent_limit: floatText(l.firstProviderPercentLimit),
    failover_provider_id: l.failoverProviderId ?? '',
    no_failover: l.noFailover,
    minimal_rate_margin_percent: floatText(l.minimalRateMarginPercent),
    quality_routing_id: l.qualityRoutingId,
    allow_loss_calls: l.allowLossCalls,
  };
}

export const lcrsGet = defineMethod({
  ...common,
  name: 'lcrs_get',
  summary: "The caller's LCRs (a reseller: its own), or those with a name.",
  hash: ['u'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username (hashed)' },
    { name: 's_name', description: 'only the LCR(s) with exactly this name' },
    { name: 'hash', required: true, description: 'sha1(u + key)' },
  ],
  run: guarded('page', async (call) => {
    const rows = await listLcrs(ctxOf(call), { name: call.params.get('s_name') });
    return page({ lcrs: { lcr: rows.map(lcrXml) } });
  }),
});

const FIELD_PARAMS = [
  ['name', 'name'],
  ['order', 'order'],
  ['allow_loss_calls', 'allowLossCalls'],
  ['no_failover', 'noFailover'],
  ['minimal_rate_margin_percent', 'minimalRateMarginPercent'],
  ['first_provider_percent_limit', 'firstProviderPercentLimit'],
  ['quality_routing_id', 'qualityRoutingId'],
] as const;

export const lcrCreate = defineMethod({
  ...common,
  name: 'lcr_create',
  summary: 'Creates an LCR of the caller (a reseller: its own).',
  hash: ['u'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username and owner of the LCR (hashed)' },
    { name: 'name', required: true, description: 'LCR name, unique per owner' },
    { name: 'order', description: 'price (default), priority, percent or quality' },
    { name: 'hash', required: true, description: 'sha1(u + key)' },
  ],
  run: guarded('page', async (call) => {
    const { lcrId } = await createLcr(ctxOf(call), pick(call.params, FIELD_PARAMS.slice(0, 2)));
    return page({ status: { success: 'LCR successfully created', lcr_id: lcrId } });
  }),
});

export const lcrUpdate = defineMethod({
  ...common,
  name: 'lcr_update',
  summary: "Changes an LCR's sent fields.",
  hash: ['u', 'lcr_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (hashed)' },
    { name: 'lcr_id', required: true, description: 'LCR to change (hashed)' },
    { name: 'name', description: 'LCR name, unique per owner' },
    { name: 'order', description: 'price, priority, percent or quality' },
    { name: 'allow_loss_calls', description: '0/1' },
    { name: 'no_failover', description: '0/1' },
    { name: 'minimal_rate_margin_percent', description: 'decimal' },
    {
      name: 'first_provider_percent_limit',
      description: 'price order: skip providers dearer than the first by more than this percent (0 = off)',
    },
    { name: 'quality_routing_id', description: '-1 (none; no quality routing rules exist, stored only)' },
    { name: 'hash', required: true, description: 'sha1(u + lcr_id + key)' },
  ],
  run: guarded('page', async (call) => {
    await updateLcr(ctxOf(call), { id: idParam(call.params, 'lcr_id'), ...pick(call.params, FIELD_PARAMS) });
    return page({ status: { success: 'LCR successfully updated' } });
  }),
});

export const lcrDelete = defineMethod({
  ...common,
  name: 'lcr_delete',
  summary: 'Deletes an LCR no user, location rule or card group routes by.',
  hash: ['u', 'lcr_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (hashed)' },
    { name: 'lcr_id', required: true, description: 'LCR to delete (hashed)' },
    { name: 'hash', required: true, description: 'sha1(u + lcr_id + key)' },
  ],
  run: guarded('page', async (call) => {
    await deleteLcr(ctxOf(call), { id: idParam(call.params, 'lcr_id') });
    return page({ status: { success: 'LCR successfully deleted' } });
  }),
});

const linkParams = [
  { name: 'u', required: true, description: 'caller username (hashed)' },
  { name: 'lcr_id', required: true, description: 'LCR (hashed)' },
  { name: 'provider_id', required: true, description: 'provider (hashed)' },
  { name: 'failover', description: '0 (main list, default) or 1 (failover list)' },
  { name: 'hash', required: true, description: 'sha1(u + lcr_id + provider_id + key)' },
];

const linkOf = (call: Parameters<typeof ctxOf>[0]) => ({
  id: idParam(call.params, 'lcr_id'),
  providerId: call.params.get('provider_id'),
  failover: call.params.get('failover'),
});

export const lcrAddProvider = defineMethod({
  ...common,
  name: 'lcr_add_provider',
  summary: "Adds a provider to an LCR's main or failover list.",
  hash: ['u', 'lcr_id', 'provider_id'],
  access: 'write',
  changesRates: true,
  params: linkParams,
  run: guarded('page', async (call) => {
    await addLcrProvider(ctxOf(call), linkOf(call));
    return page({ status: { success: ' Provider successfully added ' } });
  }),
});

export const lcrDeleteProvider = defineMethod({
  ...common,
  name: 'lcr_delete_provider',
  summary: "Removes a provider from an LCR's main or failover list.",
  hash: ['u', 'lcr_id', 'provider_id'],
  access: 'write',
  changesRates: true,
  params: linkParams,
  run: guarded('page', async (call) => {
    await deleteLcrProvider(ctxOf(call), linkOf(call));
    return page({ status: { success: ' Provider successfully deleted ' } });
  }),
});
