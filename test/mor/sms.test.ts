import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kannelSms } from '../../src/adapters/kannelSms.ts';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { sendDue } from '../../src/domain/messages/sendMessages.ts';
import type { Ports } from '../../src/domain/ports.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const ports: Ports = { sms: kannelSms() };
const api = useTestApp({ ports: () => ports });

/** A local Kannel `sendsms` endpoint; refuses everything while `down`. */
const delivered: { to: string; from: string; text: string }[] = [];
let down = false;
let server: Server;

const one = async <T>(query: ReturnType<typeof sql>) => (await queryRows<T>(api.handle.db, query))[0]!;
let tariff = 0;
let lcr = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    if (down) {
      res.writeHead(503).end('Service unavailable');
      return;
    }
    delivered.push({ to: q.get('to') ?? '', from: q.get('from') ?? '', text: q.get('text') ?? '' });
    res.writeHead(202).end('0: Accepted for delivery');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await setConflines(api.handle, 0, {
    sms_addon: '1',
    sms_gateway_url: `${base}/cgi-bin/sendsms?username={username}&password={password}&from={from}&to={to}&text={text}`,
    sms_gateway_username: 'u',
    sms_gateway_password: 'p',
  });
  tariff = (await one<{ id: number }>(sql`insert into sms_tariffs (name) values ('sms') returning id`)).id;
  await api.handle.db.execute(
    sql`insert into sms_rates (sms_tariff_id, prefix, price) values (${tariff}, '370', 0.05), (${tariff}, '3706', 0.1)`,
  );
  lcr = (await one<{ id: number }>(sql`insert into sms_lcrs (name) values ('main') returning id`)).id;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const SUBSCRIBED = `${XML_DECL}\n<page>\n  <status>\n    <success>User successfully subscribed to SMS service</success>\n  </status>\n</page>\n`;
const subscribe = (userId: number | string, o: { u?: string; key?: string; tariffId?: number; lcrId?: string } = {}) =>
  api.call(
    'user_sms_service_subscribe',
    {
      u: o.u ?? 'admin',
      user_id: String(userId),
      sms_tariff_id: String(o.tariffId ?? tariff),
      ...(o.lcrId === '' ? {} : { sms_lcr_id: o.lcrId ?? String(lcr) }),
    },
    { hashOf: ['user_id', 'sms_tariff_id'], ...(o.key ? { key: o.key } : {}) },
  );
const SMS_HASH = ['lcr_id', 'dst', 'src', 'message'];
const send = (u: string, params: Record<string, string>, o: { prefix?: string } = {}) =>
  api.call(
    'sms_send',
    { u, lcr_id: String(lcr), dst: '37060000001', src: 'openmor', message: 'labas', ...params },
    {
      hashOf: SMS_HASH,
      ...o,
    },
  );
const balanceOf = async (id: number) =>
  (await one<{ b: string }>(sql`select balance::text as b from users where id = ${id}`)).b;

describe('user_sms_service_subscribe', () => {
  it('subscribes a user once; every documented error', async () => {
    const user = await createUser(api.handle);
    expect((await subscribe(user.id)).body).toBe(SUBSCRIBED);
    expect((await subscribe(user.id)).body).toBe(pageStatusErrorXml('User is already subscribed to SMS service'));
    expect((await subscribe(user.id, { u: 'nobody' })).body).toBe(pageStatusErrorXml('Access Denied'));
    const other = await createUser(api.handle);
    expect((await subscribe(other.id, { u: user.username })).body).toBe(pageStatusErrorXml('Access Denied'));
    const accountant = await createAccountant(api.handle);
    expect((await subscribe(other.id, { u: accountant.username })).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await subscribe(999999)).body).toBe(pageStatusErrorXml('User was not found'));
    expect((await subscribe(other.id, { tariffId: 999999 })).body).toBe(pageStatusErrorXml('SMS Tariff was not found'));
    expect((await subscribe(other.id, { lcrId: '999999' })).body).toBe(pageStatusErrorXml('SMS LCR was not found'));
    expect((await subscribe(other.id, { lcrId: '' })).body).toBe(pageStatusErrorXml('SMS LCR was not found'));
    await setConflines(api.handle, 0, { sms_addon: '0' });
    expect((await subscribe(other.id)).body).toBe(pageStatusErrorXml('Access Denied'));
    await setConflines(api.handle, 0, { sms_addon: '1' });
    const wrongOrder = await api.call(
      'user_sms_service_subscribe',
      { u: 'admin', user_id: String(other.id), sms_tariff_id: String(tariff), sms_lcr_id: String(lcr) },
      { hashOf: ['sms_tariff_id', 'user_id'] },
    );
    expect(wrongOrder.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it("lets a subscribed reseller subscribe its own users with its LCR; another realm's user is not found", async () => {
    const reseller = await createReseller(api.handle, 'sms-key');
    const theirs = await createUser(api.handle, { ownerId: reseller.id });
    expect((await subscribe(theirs.id)).body).toBe(pageStatusErrorXml('Reseller does not have SMS Subscription'));
    expect((await subscribe(theirs.id, { u: reseller.username, key: 'sms-key' })).body).toBe(
      pageStatusErrorXml('You are not authorized to use this functionality'),
    );
    expect((await subscribe(reseller.id)).body).toBe(SUBSCRIBED);
    const ownTariff = (
      await one<{ id: number }>(sql`insert into sms_tariffs (owner_id, name) values (${reseller.id}, 'r') returning id`)
    ).id;
    expect((await subscribe(theirs.id, { u: reseller.username, key: 'sms-key', tariffId: tariff })).body).toBe(
      pageStatusErrorXml('SMS Tariff was not found'),
    );
    const adminUser = await createUser(api.handle);
    expect((await subscribe(adminUser.id, { u: reseller.username, key: 'sms-key', tariffId: ownTariff })).body).toBe(
      pageStatusErrorXml('User was not found'),
    );
    expect(
      (await subscribe(theirs.id, { u: reseller.username, key: 'sms-key', tariffId: ownTariff, lcrId: '999' })).body,
    ).toBe(SUBSCRIBED);
    const row = await one<{ lcr: number; t: number }>(
      sql`select sms_lcr_id as lcr, sms_tariff_id as t from sms_subscriptions where user_id = ${theirs.id}`,
    );
    expect(row).toEqual({ lcr, t: ownTariff });
  });
});

describe('sms_send', () => {
  it('prices by the longest prefix and parts, charges, queues, and the job sends it', async () => {
    const user = await createUser(api.handle, { balance: '1' });
    await subscribe(user.id);
    const ok = await send(user.username, { message: 'Labas, ačiū!' });
    const id = (await one<{ id: number }>(sql`select max(id)::int as id from messages`)).id;
    expect(ok.body).toBe(
      `${XML_DECL}\n<page>\n  <response>\n    <status>ok</status>\n    <message>\n      <message_id>${id}</message_id>\n      <sms_status_code_tip>SMS is sent</sms_status_code_tip>\n      <price>0.1000</price>\n      <currency>USD</currency>\n    </message>\n  </response>\n</page>\n`,
    );
    expect(await balanceOf(user.id)).toBe('0.900000');
    const long = await send(user.username, { message: 'x'.repeat(161) }, { prefix: '/api' });
    expect(long.body).toContain('<price>0.2000</price>');
    const alias = await api.call(
      'send_sms',
      { u: user.username, lcr_id: String(lcr), dst: '3705', src: 'me', message: 'hi' },
      { hashOf: SMS_HASH },
    );
    expect(alias.body).toContain('<price>0.0500</price>');
    expect(await balanceOf(user.id)).toBe('0.650000');
    delivered.splice(0);
    await sendDue({ db: api.handle.db, clock: () => new Date(), log: silentLog, ports });
    expect(delivered).toEqual([
      { to: '37060000001', from: 'openmor', text: 'Labas, ačiū!' },
      { to: '37060000001', from: 'openmor', text: 'x'.repeat(161) },
      { to: '3705', from: 'me', text: 'hi' },
    ]);
  });

  it('answers every documented error in <page><error>', async () => {
    const user = await createUser(api.handle, { balance: '0.07' });
    expect((await send(user.username, {})).body).toBe(pageErrorXml('User is not subscribed to sms service'));
    await subscribe(user.id);
    expect((await send('nobody', {})).body).toBe(pageErrorXml('Bad login'));
    expect((await send('admin', {})).body).toBe(pageErrorXml('Access Denied'));
    expect((await send(user.username, { lcr_id: '999999' })).body).toBe(pageErrorXml('There is no such LCR'));
    expect((await send(user.username, { dst: '' })).body).toBe(pageErrorXml('Wrong destination'));
    expect((await send(user.username, { src: '' })).body).toBe(pageErrorXml('Wrong source'));
    expect((await send(user.username, { message: '' })).body).toBe(pageErrorXml('There is no message or it is empty'));
    expect((await send(user.username, { dst: '4420000000' })).body).toBe(
      pageErrorXml('System owner does not have rate for this destination'),
    );
    expect((await send(user.username, {})).body).toBe(pageErrorXml('Insufficient balance'));
    expect(await balanceOf(user.id)).toBe('0.070000');
    await setConflines(api.handle, 0, { sms_addon: '0' });
    expect((await send(user.username, { dst: '3705' })).body).toBe(pageErrorXml('Access Denied'));
    await setConflines(api.handle, 0, { sms_addon: '1' });
    const wrong = await api.call(
      'sms_send',
      { u: user.username, lcr_id: String(lcr), dst: '3705', src: 'a', message: 'b' },
      { hashOf: ['dst', 'lcr_id', 'src', 'message'] },
    );
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('refunds an SMS the gateway refused for 24 hours', async () => {
    const user = await createUser(api.handle, { balance: '1' });
    await subscribe(user.id);
    await send(user.username, { dst: '3705' });
    expect(await balanceOf(user.id)).toBe('0.950000');
    down = true;
    const at = (ms: number) => ({ db: api.handle.db, clock: () => new Date(Date.now() + ms), log: silentLog, ports });
    expect(await sendDue(at(0))).toMatchObject({ retrying: 1 });
    expect(await sendDue(at(24 * 3_600_000 + 1000))).toMatchObject({ failed: 1 });
    down = false;
    expect(await balanceOf(user.id)).toBe('1.000000');
  });
});
