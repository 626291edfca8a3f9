import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMailTransport } from '../../src/adapters/httpMail.ts';
import { kannelSms } from '../../src/adapters/kannelSms.ts';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { queueMessage } from '../../src/domain/messages/queueMessage.ts';
import { sendDue } from '../../src/domain/messages/sendMessages.ts';
import type { Ports } from '../../src/domain/ports.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

/** A local HTTP server implementing Kannel's `/cgi-bin/sendsms` and a JSON mail API. */
const sms: { account: string; from: string; to: string; text: string }[] = [];
const mails: { auth: string; body: Record<string, string> }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/cgi-bin/sendsms') {
      const q = url.searchParams;
      const account = q.get('username') ?? '';
      if (!['tester', 'reseller'].includes(account) || q.get('password') !== 'kannel-pw') {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('Authorization failed for sendsms');
        return;
      }
      if (!q.get('to')) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Receiver number not valid');
        return;
      }
      sms.push({ account, from: q.get('from') ?? '', to: q.get('to') ?? '', text: q.get('text') ?? '' });
      res.writeHead(202, { 'content-type': 'text/plain' }).end('0: Accepted for delivery');
      return;
    }
    if (url.pathname === '/mail') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        if (req.headers.authorization !== 'Bearer mail-token') {
          res.writeHead(401).end('{"error":"unauthorized"}');
          return;
        }
        mails.push({ auth: String(req.headers.authorization), body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"api-1"}');
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

let offsetMs = 0;
const job = (ports: Ports = { sms: kannelSms() }) => ({
  db: api.handle.db,
  // A millisecond ahead: Postgres stamps a queued message in microseconds, this clock counts whole
  // milliseconds, so a message queued in the same millisecond would not be due yet.
  clock: () => new Date(Date.now() + offsetMs + 1),
  log: silentLog,
  ports,
});
const template = () =>
  `${base}/cgi-bin/sendsms?username={username}&password={password}&from={from}&to={to}&text={text}&charset=UTF-8&coding=2`;
const queueSms = (ownerId: number, userId: number, to: string, text: string) =>
  queueMessage(api.handle, {
    kind: 'sms',
    ownerId,
    senderId: userId,
    userId,
    recipient: to,
    sender: 'openmor',
    body: text,
    reason: 'test',
  });

describe('SMS through a Kannel sendsms gateway', () => {
  it("sends through the realm's gateway (a reseller's own, else the admin's), text URL-encoded", async () => {
    await setConflines(api.handle, 0, {
      sms_gateway_url: template(),
      sms_gateway_username: 'tester',
      sms_gateway_password: 'kannel-pw',
    });
    const reseller = await createReseller(api.handle);
    await setConflines(api.handle, reseller.id, {
      sms_gateway_url: template(),
      sms_gateway_username: 'reseller',
      sms_gateway_password: 'kannel-pw',
    });
    const user = await createUser(api.handle);
    const theirs = await createUser(api.handle, { ownerId: reseller.id });
    const id = await queueSms(0, user.id, '37060000001', 'Likutis: 5 € & ačiū #1');
    await queueSms(reseller.id, theirs.id, '37060000002', 'hi');
    offsetMs = 0;
    expect(await sendDue(job())).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(sms.splice(0)).toEqual([
      { account: 'tester', from: 'openmor', to: '37060000001', text: 'Likutis: 5 € & ačiū #1' },
      { account: 'reseller', from: 'openmor', to: '37060000002', text: 'hi' },
    ]);
    expect((await admin().messages.list.query({ userId: user.id }))[0]).toMatchObject({
      id,
      kind: 'sms',
      status: 'sent',
      providerRef: '0: Accepted for delivery',
    });
  });

  it('retries a refused SMS for 24 hours, then fails it with a message.failed event', async () => {
    await setConflines(api.handle, 0, { sms_gateway_password: 'wrong' });
    const user = await createUser(api.handle);
    const id = await queueSms(0, user.id, '37060000003', 'nope');
    offsetMs = 0;
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 1, failed: 0 });
    offsetMs = 12 * 3_600_000;
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 1, failed: 0 });
    offsetMs = 24 * 3_600_000 + 1000;
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await admin().messages.list.query({ userId: user.id }))[0]).toMatchObject({
      id,
      status: 'failed',
      attempts: 3,
      lastError: 'SMS gateway refused (HTTP 403): Authorization failed for sendsms',
    });
    const [event] = await queryRows<{ type: string }>(
      api.handle.db,
      sql`select type from outbox_events where user_id = ${user.id} and type like 'message.%'`,
    );
    expect(event).toEqual({ type: 'message.failed' });
    await setConflines(api.handle, 0, { sms_gateway_password: 'kannel-pw' });
  });
});

describe('e-mail through an HTTP mail API', () => {
  it('posts the message as JSON with the bearer token and keeps the answered id', async () => {
    const user = await createUser(api.handle);
    await queueMessage(api.handle, {
      kind: 'email',
      ownerId: 0,
      senderId: null,
      userId: user.id,
      recipient: 'api@example.test',
      subject: 'Ąžuolas',
      body: 'Sveiki',
      reason: 'test',
    });
    offsetMs = 0;
    const ports: Ports = { mail: httpMailTransport(`${base}/mail`, 'mail-token'), mailFrom: 'b@openmor.test' };
    expect(await sendDue(job(ports))).toMatchObject({ sent: 1 });
    expect(mails.splice(0)).toEqual([
      {
        auth: 'Bearer mail-token',
        body: { from: 'b@openmor.test', to: 'api@example.test', subject: 'Ąžuolas', text: 'Sveiki' },
      },
    ]);
    expect((await admin().messages.list.query({ userId: user.id }))[0]).toMatchObject({ providerRef: 'api-1' });
  });
});
