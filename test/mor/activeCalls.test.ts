import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createDestination,
  createDevice,
  createProvider,
  createReseller,
  createUser,
  setConflines,
} from '../helpers/factories.ts';

const NOW = new Date('2026-12-06T10:00:00Z');
const api = useTestApp({ clock: () => NOW });

let admins: { id: number; username: string };
let device: { id: number };
let reseller: { id: number; username: string };
let rUser: { id: number; username: string };
let rDevice: { id: number };
let provider: { id: number };
let ownProvider: { id: number };

const get = (
  u: string,
  params: Record<string, string> = {},
  o: { key?: string; hashOf?: string[]; prefix?: string } = {},
) => api.call('active_calls_get', { u, ...params }, { key: o.key, hashOf: o.hashOf ?? ['u'], prefix: o.prefix });

async function live(values: {
  uniqueid: string;
  userId: number;
  resellerId?: number | null;
  deviceId: number;
  dst: string;
  src?: string;
  start: string;
  answer?: string | null;
  providerId?: number | null;
  serverId?: number;
}) {
  await api.handle.db.execute(sql`insert into active_calls (uniqueid, server_id, start_time, answer_time, src, dst,
      localized_dst, user_id, reseller_id, src_device_id, provider_id)
    values (${values.uniqueid}, ${values.serverId ?? 1}, ${values.start}, ${values.answer ?? null}, ${values.src ?? '1001'},
      ${values.dst}, ${values.dst}, ${values.userId}, ${values.resellerId ?? null}, ${values.deviceId}, ${values.providerId ?? null})`);
}

beforeAll(async () => {
  await api.handle.db.execute(
    sql`insert into directions (name, code) values ('Philippines', 'PHL') on conflict do nothing`,
  );
  await createDestination(api.handle, { prefix: '63', name: 'Mobile', directionCode: 'PHL' });
  admins = await createUser(api.handle, { username: 'alice' });
  device = await createDevice(api.handle, admins.id, { username: '101' });
  await api.handle.db.execute(
    sql`update devices set extension = '101', name = '101', device_type = 'IAX2' where id = ${device.id}`,
  );
  reseller = await createReseller(api.handle, 'rkey');
  rUser = await createUser(api.handle, { ownerId: reseller.id });
  rDevice = await createDevice(api.handle, rUser.id);
  provider = await createProvider(api.handle, 0, { name: 'Carrier A' });
  ownProvider = await createProvider(api.handle, reseller.id, { name: 'Reseller Carrier' });
  await live({
    uniqueid: '1249298495.111727',
    userId: admins.id,
    deviceId: device.id,
    dst: '63727007886',
    src: '306984327345',
    start: '2026-12-06T09:58:00Z',
    providerId: provider.id,
    serverId: 2,
  });
  await live({
    uniqueid: 'r-1',
    userId: rUser.id,
    resellerId: reseller.id,
    deviceId: rDevice.id,
    dst: '4420',
    start: '2026-12-06T09:59:00Z',
    answer: '2026-12-06T09:59:15Z',
    providerId: ownProvider.id,
  });
  await live({
    uniqueid: 'r-2',
    userId: rUser.id,
    resellerId: reseller.id,
    deviceId: rDevice.id,
    dst: '3701',
    start: '2026-12-06T09:59:30Z',
    answer: '2026-12-06T09:59:40Z',
    providerId: provider.id,
  });
});

const block = (fields: Record<string, string | number>) =>
  `  <active_call>\n${Object.entries(fields)
    .map(([k, v]) => `    <${k}>${v}</${k}>\n`)
    .join('')}  </active_call>\n`;

const first = () =>
  block({
    id: 1,
    uniqueid: '1249298495.111727',
    status: 'Ringing',
    answer_time: '',
    duration: '',
    src: '306984327345',
    user_id: admins.id,
    user: 'alice',
    src_device_id: device.id,
    device_type: 'IAX2',
    device_extension: '101',
    device_name: '101',
    device_istrunk: 0,
    device_ani: 0,
    localized_dst: '63727007886',
    direction_code: 'PHL',
    direction_name: 'Philippines',
    destination_name: 'Mobile',
    dst_user_id: '',
    dst_device_id: '',
    provider_id: provider.id,
    provider_name: 'Carrier A',
    did: '',
    server_id: 2,
    start_time: '2026-12-06 09:58:00',
  });

describe('active_calls_get', () => {
  it('answers the admin every live call, exactly', async () => {
    const r = await get('admin', { s_status: 'ringing' });
    expect(r.body).toBe(`${XML_DECL}\n<page>\n${first()}</page>\n`);
    const all = await get('admin');
    expect(all.body.match(/<active_call>/g)).toHaveLength(3);
    expect(all.body).toContain(
      '<status>Answered</status>\n    <answer_time>2026-12-06 09:59:15</answer_time>\n    <duration>45</duration>',
    );
  });

  it('takes sha1(u + key) and sha1(key), on both paths', async () => {
    expect((await get('admin', { s_status: 'ringing' }, { hashOf: [] })).body).toBe(
      `${XML_DECL}\n<page>\n${first()}</page>\n`,
    );
    expect((await get('admin', { s_status: 'ringing' }, { prefix: '/api' })).body).toBe(
      `${XML_DECL}\n<page>\n${first()}</page>\n`,
    );
    expect((await get('admin', {}, { key: 'wrong' })).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('refuses bad filters with the documented strings', async () => {
    expect((await get('admin', { s_status: 'hungup' })).body).toBe(
      pageStatusErrorXml('Status value must be Ringing or Answered'),
    );
    expect((await get('admin', { s_server: 'x' })).body).toBe(pageStatusErrorXml('Server was not found'));
    expect((await get('admin', { s_server: '0' })).body).toBe(pageStatusErrorXml('Server was not found'));
    expect((await get(reseller.username, { s_user_id: String(admins.id) }, { key: 'rkey' })).body).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect((await get('nobody')).body).toBe(statusErrorXml('Access Denied'));
  });

  it('filters: status, server, user and device, numbers with % wildcards, country', async () => {
    const ids = async (params: Record<string, string>) =>
      [...(await get('admin', params)).body.matchAll(/<uniqueid>(.*)<\/uniqueid>/g)].map((m) => m[1]);
    expect(await ids({ s_status: 'ANSWERED' })).toEqual(['r-1', 'r-2']);
    expect(await ids({ s_server: '2' })).toEqual(['1249298495.111727']);
    expect(await ids({ s_user_id: String(rUser.id), s_device: String(rDevice.id) })).toEqual(['r-1', 'r-2']);
    expect(await ids({ s_user_id: String(rUser.id), s_device: String(device.id) })).toEqual([]);
    expect(await ids({ s_destination: '44' })).toEqual(['r-1']);
    expect(await ids({ s_destination: '%70' })).toEqual(['1249298495.111727', 'r-2']);
    expect(await ids({ s_source: '3069%' })).toEqual(['1249298495.111727']);
    expect(await ids({ s_country: 'philippines' })).toEqual(['1249298495.111727']);
    expect(await ids({ s_provider: String(provider.id) })).toEqual(['1249298495.111727', 'r-2']);
    expect((await get('admin', { s_user_id: '999999' })).body).toBe(pageStatusErrorXml('User was not found'));
    expect((await get('admin', { s_server: '7' })).body).toBe(`${XML_DECL}\n<page></page>\n`);
  });

  it('keeps each caller to its realm; a reseller sees only its own providers', async () => {
    const body = (await get(reseller.username, {}, { key: 'rkey' })).body;
    expect([...body.matchAll(/<uniqueid>(.*)<\/uniqueid>/g)].map((m) => m[1])).toEqual(['r-1', 'r-2']);
    expect(body).toContain(
      `<provider_id>${ownProvider.id}</provider_id>\n    <provider_name>Reseller Carrier</provider_name>`,
    );
    expect(body).toContain('<provider_id></provider_id>\n    <provider_name></provider_name>');

    const accountant = await createAccountant(api.handle, { monitorings: 1 });
    const acc = (await get(accountant.username)).body;
    expect([...acc.matchAll(/<uniqueid>(.*)<\/uniqueid>/g)].map((m) => m[1])).toEqual(['1249298495.111727']);
    const blind = await createAccountant(api.handle, {});
    expect((await get(blind.username)).body).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('answers simple users their own calls only while "Show Active Calls for Users" is on', async () => {
    expect((await get(rUser.username, {}, { key: 'rkey' })).body).toBe(pageStatusErrorXml('Access Denied'));
    await setConflines(api.handle, 0, { show_active_calls_for_users: '1' });
    api.changed();
    const body = (await get(rUser.username, {}, { key: 'rkey' })).body;
    expect([...body.matchAll(/<uniqueid>(.*)<\/uniqueid>/g)].map((m) => m[1])).toEqual(['r-1', 'r-2']);
    expect(body).not.toContain('Carrier');
    expect((await get(admins.username)).body).toBe(
      `${XML_DECL}\n<page>\n${first().replace(`<provider_id>${provider.id}</provider_id>`, '<provider_id></provider_id>').replace('<provider_name>Carrier A</provider_name>', '<provider_name></provider_name>')}</page>\n`,
    );
  });
});
