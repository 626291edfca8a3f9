import { createDeviceRule } from '../../../domain/devices/rules/createDeviceRule.ts';
import { deleteDeviceRule } from '../../../domain/devices/rules/deleteDeviceRule.ts';
import { listDeviceRules } from '../../../domain/devices/rules/listDeviceRules.ts';
import { defineMethod } from '../../method.ts';
import { page, pageError, pageStatusError, pageStatusSuccess } from '../../xml.ts';
import { ctxOf, guarded, idParam } from './support.ts';

// Simple users and partners pass the pipeline: the pages answer them "not found".
const ALL = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;

export const deviceRulesGet = defineMethod({
  name: 'device_rules_get',
  family: 'devices',
  summary: "A device's number rewriting rules (src and dst), by id.",
  identity: 'caller',
  hash: ['device_id'],
  callers: ALL,
  access: 'read',
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'device_id', required: true, description: 'device id' },
    { name: 'hash', required: true, description: 'sha1(device_id + secret key)' },
  ],
  run: guarded('page', async (call) => {
    const rules = await listDeviceRules(ctxOf(call), idParam(call.params, 'device_id'));
    return page({
      status: {
        device_rules: {
          device_rule: rules.map((r) => ({
            id: r.id,
            device_id: r.deviceId,
            name: r.name,
            enabled: r.enabled ? 1 : 0,
            cut: r.cut,
            add: r.add,
            minlen: r.minlen,
            maxlen: r.maxlen,
            pr_type: r.prType,
            change_callerid_name: r.changeCalleridName ? 1 : 0,
            devicerulegroup_id: r.devicerulegroupId,
          })),
        },
      },
    });
  }),
});

export const deviceRuleCreate = defineMethod({
  name: 'device_rule_create',
  family: 'devices',
  summary: 'Adds a number rewriting rule (cut a prefix, add one) to a device.',
  identity: 'caller',
  // The current page hashes device_id only; earlier revisions (and the public client) also name, cut, add.
  hash: ['device_id', 'device'],
  hashUnless: { device: 'device_id' },
  altHashes: [{ order: ['device_id', 'device', 'name', 'cut', 'add'] }],
  callers: ALL,
  access: 'write',
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'device_id', required: true, description: 'device id (`device` accepted when absent)' },
    { name: 'name', required: true, description: 'rule name' },
    { name: 'cut', description: 'prefix to remove (cut or add required)' },
    { name: 'add', description: 'prefix to put in front (cut or add required)' },
    { name: 'minlen', description: 'minimal number length (default 1)' },
    { name: 'maxlen', description: 'maximal number length (default 100)' },
    { name: 'pr_type', description: 'src or dst (default dst)' },
    { name: 'change_callerid_name', description: '0 or 1 (default 0)' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(device_id + secret key), or sha1(device_id + name + cut + add + secret key)',
    },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    await createDeviceRule(ctxOf(call), {
      deviceId: idParam(p, 'device_id') ?? idParam(p, 'device'),
      name: p.get('name'),
      cut: p.get('cut'),
      add: p.get('add'),
      minlen: p.get('minlen'),
      maxlen: p.get('maxlen'),
      prType: p.get('pr_type'),
      changeCalleridName: p.get('change_callerid_name'),
    });
    return pageStatusSuccess('Rule added');
  }),
});

export const deviceRuleDelete = defineMethod({
  name: 'device_rule_delete',
  family: 'devices',
  summary: 'Deletes a device rule.',
  identity: 'caller',
  hash: ['device_rule_id'],
  callers: ALL,
  access: 'write',
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'device_rule_id', required: true, description: 'rule id (from device_rules_get)' },
    { name: 'hash', required: true, description: 'sha1(device_rule_id + secret key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await deleteDeviceRule(ctxOf(call), idParam(call.params, 'device_rule_id'));
    return pageStatusSuccess('Device rule was successfully deleted');
  }),
});
