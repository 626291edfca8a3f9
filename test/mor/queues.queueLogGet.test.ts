import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueLog, queues, users } from '../../src/db/schema/index.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

// Noon UTC on 10 March 2026; the system zone (the admin's) is Vilnius, UTC+2 that day.
const NOW = new Date('2026-03-10T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
const NO_DATA = pageErrorXml('No data found');
const DENIED = pageErrorXml('Access Denied');
const get = (u: string, params: Record<string, string> = {}, key?: string) =>
  api.call('queue_log_get', { u, ...params }, { hashOf: [], key }).then((r) => r.body);
const unix = (iso: string) => String(Date.parse(iso) / 1000);

type Row = typeof queueLog.$inferSelect;
const rowXml = (r: Row) => [
  '    <queue>',
  `      <id>${r.id}</id>`,
  `      <call_id>${r.callid}</call_id>`,
  `      <queue_name>${r.queuename}</queue_name>`,
  `      <agent>${r.agent}</agent>`,
  `      <event>${r.event}</event>`,
  `      <data1>${r.data1}</data1>`,
  `      <data2>${r.data2}</data2>`,
  `      <data3>${r.data3}</data3>`,
  `      <data4>${r.data4}</data4>`,
  `      <data5>${r.data5}</data5>`,
  '    </queue>',
];
const listXml = (rows: Row[]) =>
  [XML_DECL, '<page>', '  <queues>', ...rows.flatMap(rowXml), '  </queues>', '</page>', ''].join('\n');

let reseller: Awaited<ReturnType<typeof createUser>>;
let enter: Row;
let connect: Row;
let resellers: Row;
let yesterday: Row;
let earlyToday: Row;
let lateToday: Row;

const log = async (values: Partial<typeof queueLog.$inferInsert> & { time: Date }) =>
  (await api.handle.db.insert(queueLog).values(values).returning())[0]!;

beforeAll(async () => {
  await api.handle.db.update(users).set({ timeZone: 'Vilnius' }).where(eq(users.id, 0));
  reseller = await createReseller(api.handle, 'res-key');
  await api.handle.db.insert(queues).values([
    { name: 'queue_mano', ownerId: 0 },
    { name: 'res_queue', ownerId: reseller.id },
  ]);
  const at = new Date('2026-03-10T09:00:00Z');
  enter = await log({
    time: at,
    callid: '1490020149.20',
    queuename: 'queue_mano',
    agent: 'NONE',
    event: 'ENTERQUEUE',
    data2: '100001',
    data3: '1',
  });
  connect = await log({
    time: at,
    callid: '1490020149.20',
    queuename: 'queue_mano',
    agent: 'Local/1001@mor_local',
    event: 'CONNECT',
    data1: '6',
    data2: '1490020149.23',
    data3: '5',
  });
  resellers = await log({ time: at, callid: '2.1', queuename: 'res_queue', agent: 'NONE', event: 'ENTERQUEUE' });
  yesterday = await log({
    time: new Date('2026-03-09T21:59:59Z'),
    callid: '3.1',
    queuename: 'queue_mano',
    event: 'ABANDON',
  });
  earlyToday = await log({
    time: new Date('2026-03-09T22:00:00Z'),
    callid: '3.2',
    queuename: 'queue_mano',
    event: 'ABANDON',
  });
  lateToday = await log({
    time: new Date('2026-03-10T21:59:59Z'),
    callid: '3.3',
    queuename: 'queue_mano',
    event: 'ABANDON',
  });
  await log({ time: new Date('2026-03-10T22:00:00Z'), callid: '3.4', queuename: 'queue_mano', event: 'ABANDON' });
  api.changed();
});

describe('queue_log_get', () => {
  it("admin: today's rows (system zone day, both ends inclusive) of every queue, by id", async () => {
    expect(await get('admin')).toBe(listXml([enter, connect, resellers, earlyToday, lateToday]));
  });

  it('from/till (Unix seconds, inclusive) and every exact filter', async () => {
    const from = unix('2026-03-09T21:59:59Z');
    expect(await get('admin', { from, till: from })).toBe(listXml([yesterday]));
    expect(await get('admin', { from: unix('2026-03-01T00:00:00Z'), event: 'ABANDON', callid: '3.1' })).toBe(
      listXml([yesterday]),
    );
    expect(await get('admin', { queuename: 'res_queue' })).toBe(listXml([resellers]));
    expect(await get('admin', { agent: 'Local/1001@mor_local' })).toBe(listXml([connect]));
    expect(await get('admin', { event: 'ENTERQUEUE', data2: '100001', data3: '1' })).toBe(listXml([enter]));
    expect(await get('admin', { data1: '6' })).toBe(listXml([connect]));
    expect(await get('admin', { callid: '1490020149.20' })).toBe(listXml([enter, connect]));
    expect(await get('admin', { event: 'enterqueue' })).toBe(NO_DATA);
    expect(await get('admin', { data4: 'x' })).toBe(NO_DATA);
    expect(await get('admin', { data5: 'x' })).toBe(NO_DATA);
    expect(await get('admin', { queuename: 'queue' })).toBe(NO_DATA);
    expect(await get('admin', { from: unix('2026-01-01T00:00:00Z'), till: unix('2026-01-02T00:00:00Z') })).toBe(
      NO_DATA,
    );
  });

  it('hashes only the key (documented: sha1("secret") = e5e9fa1b…); filters are not hashed', async () => {
    const res = await api.call(
      'queue_log_get',
      { u: 'admin', event: 'CONNECT', hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
      { hash: null },
    );
    expect(res.body).toBe(listXml([connect]));
    const withU = await api.call('queue_log_get', { u: 'admin' }, { hashOf: ['u'] });
    expect(withU.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('reseller: its own queues only', async () => {
    expect(await get(reseller.username, {}, 'res-key')).toBe(listXml([resellers]));
    expect(await get(reseller.username, { queuename: 'queue_mano' }, 'res-key')).toBe(NO_DATA);
    const other = await createReseller(api.handle, 'other-key');
    api.changed();
    expect(await get(other.username, {}, 'other-key')).toBe(NO_DATA);
  });

  it('accountant with Manage devices sees every queue; others, simple users, partners and unknown u: Access Denied', async () => {
    const acc = await createAccountant(api.handle, { devices_manage: 1 });
    const blind = await createAccountant(api.handle, { users_manage: 2 });
    const user = await createUser(api.handle, { ownerId: reseller.id });
    const plain = await createUser(api.handle);
    const partner = await createUser(api.handle, { usertype: 'partner' });
    api.changed();
    expect(await get(acc.username)).toBe(listXml([enter, connect, resellers, earlyToday, lateToday]));
    expect(await get(blind.username)).toBe(DENIED);
    expect(await get(user.username, {}, 'res-key')).toBe(DENIED);
    expect(await get(plain.username)).toBe(DENIED);
    expect(await get(partner.username)).toBe(DENIED);
    expect(await get('nobody_here')).toBe(DENIED);
    expect((await api.call('queue_log_get', {}, { hashOf: [] })).body).toBe(DENIED);
  });

  it('GET and API switches', async () => {
    expect((await api.call('queue_log_get', { u: 'admin' }, { verb: 'GET' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    try {
      expect(await get('admin')).toBe(statusErrorXml('API Requests are disabled'));
    } finally {
      await setConflines(api.handle, 0, { allow_api: '1' });
      api.changed();
    }
  });
});
