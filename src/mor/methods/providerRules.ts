import { createProviderRule } from '../../domain/providerRules/createProviderRule.ts';
import { deleteProviderRule } from '../../domain/providerRules/deleteProviderRule.ts';
import { listProviderRules } from '../../domain/providerRules/listProviderRules.ts';
import type { ProviderRuleRow } from '../../domain/providerRules/providerRuleAccess.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, type XmlNode } from '../xml.ts';
import { ctxOf, guarded, idParam, pick } from './devices/support.ts';

const common = {
  family: 'provider rules',
  identity: 'caller',
  callers: ['admin', 'accountant', 'reseller', 'user', 'partner'],
  errorWrapper: pageError,
  unknownCaller: pageError('Access Denied'),
} as const;

/** One `<provider_rule>` in the documented tag order. */
export function providerRuleXml(r: ProviderRuleRow): XmlNode {
  return {
    id: r.id,
    provider_id: r.providerId,
    name: r.name,
    enabled: r.enabled,
    cut: r.cut,
    add: r.add,
    minlen: r.minlen,
    maxlen: r.maxlen,
    pr_type: r.prType,
    change_callerid_name: r.changeCalleridName,
    tariff_id: r.tariffId ?? '',
    set_pai: r.setPai,
    suffix: r.suffix,
  };
}

export const providerRulesGet = defineMethod({
  ...common,
  name: 'provider_rules_get',
  summary: "A provider's number-rewriting rules.",
  hash: ['provider_id'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'provider_id', required: true, description: 'provider whose rules are listed (hashed)' },
    { name: 'hash', required: true, description: 'sha1(provider_id + key)' },
  ],
  run: guarded('page', async (call) => {
    const rows = await listProviderRules(ctxOf(call), { providerId: idParam(call.params, 'provider_id') });
    return page({ status: { provider_rules: { provider_rule: rows.map(providerRuleXml) } } });
  }),
});

const FIELDS = [
  ['name', 'name'],
  ['cut', 'cut'],
  ['add', 'add'],
  ['minlen', 'minlen'],
  ['maxlen', 'maxlen'],
  ['pr_type', 'prType'],
  ['tariff_id', 'tariffId'],
  ['set_pai', 'setPai'],
  ['suffix', 'suffix'],
  ['change_callerid_name', 'changeCalleridName'],
] as const;

export const providerRuleCreate = defineMethod({
  ...common,
  name: 'provider_rule_create',
  summary: 'Adds a number-rewriting rule to a provider.',
  hash: ['provider_id', 'name', 'cut', 'add'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'provider_id', required: true, description: 'provider (hashed)' },
    { name: 'name', required: true, description: 'rule name (hashed)' },
    { name: 'cut', description: 'prefix to strip (hashed); cut or add required' },
    { name: 'add', description: 'prefix to prepend (hashed)' },
    { name: 'minlen', description: 'shortest number the rule applies to (default 1)' },
    { name: 'maxlen', description: 'longest number (default 100)' },
    { name: 'pr_type', description: 'dst (default) or src' },
    { name: 'tariff_id', description: 'provider tariff used when the rule applies' },
    { name: 'set_pai', description: '0/1' },
    { name: 'suffix', description: 'appended to the number (dst rules only)' },
    { name: 'change_callerid_name', description: '0/1' },
    { name: 'hash', required: true, description: 'sha1(provider_id + name + cut + add + key)' },
  ],
  run: guarded('page', async (call) => {
    await createProviderRule(ctxOf(call), {
      providerId: idParam(call.params, 'provider_id'),
      ...pick(call.params, FIELDS),
    });
    return page({ status: { success: 'Rule added' } });
  }),
});

export const providerRuleDelete = defineMethod({
  ...common,
  name: 'provider_rule_delete',
  summary: 'Deletes a provider rule.',
  hash: ['provider_rule_id'],
  access: 'write',
  changesRates: true,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'provider_rule_id', required: true, description: 'rule to delete (hashed)' },
    { name: 'hash', required: true, description: 'sha1(provider_rule_id + key)' },
  ],
  run: guarded('page', async (call) => {
    await deleteProviderRule(ctxOf(call), { id: idParam(call.params, 'provider_rule_id') });
    return page({ status: { success: 'Provider rule was successfully deleted' } });
  }),
});
