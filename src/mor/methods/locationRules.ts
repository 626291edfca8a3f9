import { copyLocationRule } from '../../domain/locationRules/copyLocationRule.ts';
import { createLocationRule } from '../../domain/locationRules/createLocationRule.ts';
import { deleteLocationRule } from '../../domain/locationRules/deleteLocationRule.ts';
import { getLocationRule, listLocationRules } from '../../domain/locationRules/listLocationRules.ts';
import type { LocationRuleRow } from '../../domain/locationRules/locationAccess.ts';
import { updateLocationRule } from '../../domain/locationRules/updateLocationRule.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageStatusError, type XmlNode } from '../xml.ts';
import { ctxOf, guarded, idParam, pick } from './devices/support.ts';

const common = {
  family: 'location rules',
  identity: 'caller',
  callers: ['admin', 'accountant', 'reseller', 'user', 'partner'],
  errorWrapper: pageStatusError,
} as const;
/** get, rule_get and delete spell it with a lowercase d; create, update and copy with a capital D. */
const lower = { ...common, unknownCaller: pageStatusError('Access denied') } as const;
const upper = { ...common, unknownCaller: pageStatusError('Access Denied') } as const;

/** One `<location_rule>` in the documented tag order. */
export function locationRuleXml(r: LocationRuleRow): XmlNode {
  return {
    id: r.id,
    location_id: r.locationId,
    name: r.name,
    enabled: r.enabled,
    cut: r.cut,
    add: r.add,
    minlen: r.minlen,
    maxlen: r.maxlen,
    lr_type: r.lrType,
    lcr_id: r.lcrId ?? '',
    tariff_id: r.tariffId ?? '',
    did_id: r.didId ?? '',
    device_id: r.deviceId ?? '',
    change_callerid_name: r.changeCalleridName,
    src_cut: r.srcCut,
    src_add: r.srcAdd,
    src_minlen: r.srcMinlen,
    src_maxlen: r.srcMaxlen,
    locationgroup_id: r.locationgroupId,
  };
}

const count = (params: Params, name: string, min: number) => {
  const value = params.value(name);
  return value !== undefined && /^\d{1,9}$/.test(value) && Number(value) >= min ? Number(value) : undefined;
};

export const locationRulesGet = defineMethod({
  ...lower,
  name: 'location_rules_get',
  summary: "A location's localization rules, or those of every location in reach.",
  hash: ['location_id'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username (admin, accountant or reseller)' },
    { name: 'location_id', required: true, description: 'location id or all (hashed)' },
    { name: 'from', description: 'rules to skip (default 0)' },
    { name: 'max_results', description: 'page size (default all)' },
    { name: 'hash', required: true, description: 'sha1(location_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const raw = call.params.value('location_id');
    const locations = await listLocationRules(ctxOf(call), {
      locationId: raw === 'all' ? 'all' : idParam(call.params, 'location_id'),
      from: count(call.params, 'from', 0),
      maxResults: count(call.params, 'max_results', 1),
    });
    return page({
      status: {
        location: locations.map((l) => ({ id: l.id, name: l.name, location_rule: l.rules.map(locationRuleXml) })),
      },
    });
  }),
});

export const locationRuleGet = defineMethod({
  ...lower,
  name: 'location_rule_get',
  summary: 'One localization rule.',
  hash: ['location_rule_id'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'location_rule_id', required: true, description: 'rule to show (hashed)' },
    { name: 'hash', required: true, description: 'sha1(location_rule_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const rule = await getLocationRule(ctxOf(call), { id: idParam(call.params, 'location_rule_id') });
    return page({ status: { location_rule: locationRuleXml(rule) } });
  }),
});

const FIELDS = [
  ['name', 'name'],
  ['enabled', 'enabled'],
  ['lr_type', 'lrType'],
  ['cut', 'cut'],
  ['add', 'add'],
  ['minlen', 'minlen'],
  ['maxlen', 'maxlen'],
  ['src_cut', 'srcCut'],
  ['src_add', 'srcAdd'],
  ['src_minlen', 'srcMinlen'],
  ['src_maxlen', 'srcMaxlen'],
  ['tariff_id', 'tariffId'],
  ['lcr_id', 'lcrId'],
  ['did_id', 'didId'],
  ['device_id', 'deviceId'],
  ['change_callerid_name', 'changeCalleridName'],
  ['location_group_id', 'locationGroupId'],
  ['dst_locationgroup_id', 'dstLocationgroupId'],
] as const;

const FIELD_DOCS = [
  { name: 'enabled', description: '0/1 (default 1)' },
  { name: 'lr_type', description: 'dst (default), src or combined' },
  { name: 'cut', description: 'prefix to strip' },
  { name: 'add', description: 'prefix to prepend' },
  { name: 'minlen', description: 'shortest number (default 1)' },
  { name: 'maxlen', description: 'longest number (default 99)' },
  { name: 'src_cut', description: 'combined rules: CallerID prefix to strip' },
  { name: 'src_add', description: 'combined rules: CallerID prefix to prepend' },
  { name: 'src_minlen', description: 'combined rules: shortest CallerID (default 1)' },
  { name: 'src_maxlen', description: 'combined rules: longest CallerID (default 99)' },
  { name: 'tariff_id', description: 'switch the call to this tariff (-1 unassigns on update)' },
  { name: 'lcr_id', description: 'switch the call to this LCR (-1 unassigns on update)' },
  { name: 'did_id', description: 'route to this DID (-1 unassigns on update)' },
  { name: 'device_id', description: 'make this device the call owner (-1 unassigns on update)' },
  { name: 'change_callerid_name', description: '0/1' },
  {
    name: 'location_group_id',
    description:
      "location group of the location's owner (0 = none); combined rules: CallerID must start with a group prefix",
  },
  { name: 'dst_locationgroup_id', description: 'stored and echoed' },
] as const;

export const locationRuleCreate = defineMethod({
  ...upper,
  name: 'location_rule_create',
  summary: 'Adds a localization rule to a location of the caller.',
  hash: ['location_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (admin, accountant or reseller)' },
    { name: 'location_id', required: true, description: 'location (hashed)' },
    { name: 'name', required: true, description: 'rule name' },
    ...FIELD_DOCS,
    { name: 'hash', required: true, description: 'sha1(location_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const { ruleId } = await createLocationRule(ctxOf(call), {
      locationId: idParam(call.params, 'location_id'),
      ...pick(call.params, FIELDS),
    });
    return page({ status: { success: 'Rule created', rule_id: ruleId } });
  }),
});

export const locationRuleUpdate = defineMethod({
  ...upper,
  name: 'location_rule_update',
  summary: "Changes a localization rule's sent fields.",
  hash: ['location_rule_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (admin, accountant or reseller)' },
    { name: 'location_rule_id', required: true, description: 'rule to change (hashed)' },
    { name: 'name', description: 'rule name' },
    ...FIELD_DOCS,
    { name: 'hash', required: true, description: 'sha1(location_rule_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await updateLocationRule(ctxOf(call), {
      id: idParam(call.params, 'location_rule_id'),
      ...pick(call.params, FIELDS),
    });
    return page({ status: { success: 'Rule updated' } });
  }),
});

export const locationRuleDelete = defineMethod({
  ...lower,
  name: 'location_rule_delete',
  summary: 'Deletes a localization rule.',
  hash: ['location_rule_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'location_rule_id', required: true, description: 'rule to delete (hashed)' },
    { name: 'hash', required: true, description: 'sha1(location_rule_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await deleteLocationRule(ctxOf(call), { id: idParam(call.params, 'location_rule_id') });
    return page({ status: { success: 'Rule deleted' } });
  }),
});

export const locationRuleCopy = defineMethod({
  ...upper,
  name: 'location_rule_copy',
  summary: 'Copies a localization rule into another location.',
  hash: ['location_rule_id', 'location_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username (admin, accountant or reseller)' },
    { name: 'location_rule_id', required: true, description: 'rule to copy (hashed)' },
    { name: 'location_id', required: true, description: 'target location (hashed)' },
    { name: 'hash', required: true, description: 'sha1(location_rule_id + location_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await copyLocationRule(ctxOf(call), {
      id: idParam(call.params, 'location_rule_id'),
      locationId: idParam(call.params, 'location_id'),
    });
    return page({ status: { success: 'Rule copied' } });
  }),
});
