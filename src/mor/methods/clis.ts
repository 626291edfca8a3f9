import { addCli } from '../../domain/clis/addCli.ts';
import { deleteCli } from '../../domain/clis/deleteCli.ts';
import { getCliInfo } from '../../domain/clis/getCliInfo.ts';
import { listDeviceClis } from '../../domain/clis/listDeviceClis.ts';
import { defineMethod } from '../method.ts';
import { page, pageStatusError } from '../xml.ts';
import { ctxOf, guarded, idParam } from './devices/support.ts';

const MANAGERS = ['admin', 'accountant', 'reseller'] as const;
const DENIED = pageStatusError('Access Denied');

export const cliAdd = defineMethod({
  name: 'cli_add',
  family: 'clis',
  summary: 'Adds a CLI (incoming CallerID, unique system-wide) to a device.',
  identity: 'caller',
  hash: ['device_id', 'cli_number', 'cli_description', 'comment', 'banned', 'ivr_id'],
  // The documented example and the Laravel client hash device_id + cli_number only: accepted when
  // none of the other hashed fields is sent.
  altHashes: [{ order: ['device_id', 'cli_number'] }],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'device_id', required: true, description: 'device that will own the CLI' },
    { name: 'cli_number', required: true, description: 'CLI number (digits); optional with cli_domain' },
    { name: 'cli_domain', description: 'CLI domain (not hashed)' },
    { name: 'cli_description', description: 'description' },
    { name: 'comment', description: 'comment' },
    { name: 'banned', description: '1 banned, 0 not' },
    { name: 'ivr_id', description: 'IVR for this CLI' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(device_id + cli_number [+ cli_description + comment + banned + ivr_id] + key)',
    },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    await addCli(ctxOf(call), {
      deviceId: idParam(p, 'device_id'),
      number: p.value('cli_number'),
      domain: p.value('cli_domain'),
      description: p.get('cli_description'),
      comment: p.get('comment'),
      banned: p.get('banned') === '1',
      ivrId: idParam(p, 'ivr_id'),
    });
    return page({ status: 'CLI successfully created' });
  }),
});

export const cliDelete = defineMethod({
  name: 'cli_delete',
  family: 'clis',
  summary: 'Deletes a CLI by its number.',
  identity: 'caller',
  hash: ['cli_number'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'cli_number', required: true, description: 'CLI number (exact)' },
    { name: 'cli_domain', description: 'CLI domain, for a domain-only CLI when cli_number is absent (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(cli_number + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await deleteCli(ctxOf(call), { number: call.params.value('cli_number'), domain: call.params.value('cli_domain') });
    return page({ status: 'CLI successfully deleted' });
  }),
});

export const cliInfoGet = defineMethod({
  name: 'cli_info_get',
  aliases: ['cli_get_info'],
  family: 'clis',
  summary: 'The user and device a CLI belongs to.',
  identity: 'caller',
  hash: [],
  callers: MANAGERS,
  access: 'read',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'cli', description: 'CLI number' },
    { name: 'domain', description: 'CLI domain, when cli is absent' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const info = await getCliInfo(ctxOf(call), { number: call.params.get('cli'), domain: call.params.value('domain') });
    return page({ cli: { device: { user_id: info.userId, device_id: info.deviceId } } });
  }),
});

export const deviceClisGet = defineMethod({
  name: 'device_clis_get',
  family: 'clis',
  summary: 'CLIs of a device, of a user, or of every device within reach.',
  identity: 'caller',
  hash: [],
  callers: MANAGERS,
  access: 'read',
  unknownCaller: DENIED,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'devices_id', description: 'only this device' },
    { name: 'users_id', description: "only this user's devices" },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const rows = await listDeviceClis(ctxOf(call), {
      userId: idParam(call.params, 'users_id'),
      deviceId: idParam(call.params, 'devices_id'),
    });
    // The seed prints one CLI's tags inside <status>; with several CLIs each gets its own <status>
    // (the XML builder cannot repeat a run of tags inside one element).
    const status = rows.map((c) => ({
      cli_id: c.id,
      cli_cli: c.cli,
      cli_device: c.device,
      cli_description: c.description,
      cli_added_at: c.addedAt,
      cli_updated_at: c.updatedAt,
      cli_comment: c.comment,
      cli_email_callback: c.emailCallback,
      cli_banned: c.banned,
    }));
    return page({ status: status.length === 1 ? status[0]! : status });
  }),
});
