import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { queueMessage } from '../../src/domain/messages/queueMessage.ts';
import { sendDue } from '../../src/domain/messages/sendMessages.ts';
import type { Ports } from '../../src/domain/ports.ts';
import { retryDelayMs } from '../../src/domain/webhooks/backoff.ts';
import { smtpTransport } from '../../src/entry/adapters/smtp.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';
import { type ReceivedMail, startSmtpServer } from '../helpers/smtp.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

/** A real SMTP server (smtp-server): STARTTLS required, AUTH checked, every message kept raw. */
const inbox: ReceivedMail[] = [];
let refuseNext = 0;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let port = 0;

beforeAll(async () => {
  smtp = await startSmtpServer(
    (mail) => inbox.push(mail),
    () => {
      if (refuseNext === 0) return null;
      refuseNext--;
      return { code: 451, message: 'Mailbox busy, try later' };
    },
  );
  port = smtp.port;
});
afterAll(() => smtp.close());

/** RFC 2047 words and a quoted-printable or base64 body, decoded the way a mail client would. */
const decodeWords = (value: string) =>
  value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
function parseMail(raw: string) {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = rest.join('\r\n\r\n');
  const cte = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (cte === 'quoted-printable') {
    body = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  } else if (cte === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  return { headers, subject: decodeWords(headers.subject ?? ''), body: body.replace(/\r\n/g, '\n').trimEnd() };
}

let offsetMs = 0;
const jobWith = (ports: Ports) => ({
  db: api.handle.db,
  clock: () => new Date(Date.now() + offsetMs + 1), // +1 ms: Postgres stamps in µs, this clock in ms
  log: silentLog,
  ports,
});
const smtpPorts = (user = 'mailer', pass = 'p%40ss'): Ports => ({
  mail: smtpTransport(`smtp://${user}:${pass}@127.0.0.1:${port}/?requireTLS=true&tls.rejectUnauthorized=false`),
  mailFrom: 'Billing <billing@openmor.test>',
});

describe('e-mail over SMTP', () => {
  it('delivers a queued UTF-8 message through STARTTLS with AUTH, readable back with its headers', async () => {
    const user = await createUser(api.handle);
    const id = await queueMessage(api.handle, {
      kind: 'email',
      ownerId: 0,
      senderId: 0,
      userId: user.id,
      recipient: 'jurate@example.test',
      subject: 'Sąskaita apmokėta – 5 €',
      body: 'Labas, Jūratė!\nJūsų likutis: 5,00 € — ačiū.',
      reason: 'test',
    });
    offsetMs = 0;
    expect(await sendDue(jobWith(smtpPorts()))).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(inbox).toHaveLength(1);
    const got = inbox.pop()!;
    expect(got).toMatchObject({ from: 'billing@openmor.test', to: ['jurate@example.test'], secure: true });
    const mail = parseMail(got.raw);
    expect(mail.headers.from).toBe('Billing <billing@openmor.test>');
    expect(mail.headers.to).toBe('jurate@example.test');
    expect(mail.headers.subject).toMatch(/^=\?UTF-8\?/i); // non-ASCII travels encoded
    expect(mail.subject).toBe('Sąskaita apmokėta – 5 €');
    expect(mail.headers['content-type']).toMatch(/text\/plain; charset=utf-8/i);
    expect(mail.body).toBe('Labas, Jūratė!\nJūsų likutis: 5,00 € — ačiū.');
    const [row] = await admin().messages.list.query({ userId: user.id });
    expect(row).toMatchObject({ id, status: 'sent', attempts: 1, lastError: '' });
    expect(row!.providerRef).toBe(mail.headers['message-id']);
    const events = await queryRows<{ type: string; payload: Record<string, unknown> }>(
      api.handle.db,
      sql`select type, payload from outbox_events where user_id = ${user.id} and type like 'message.%'`,
    );
    expect(events).toEqual([
      {
        type: 'message.sent',
        payload: {
          messageId: id,
          kind: 'email',
          reason: 'test',
          recipient: 'jurate@example.test',
          attempts: 1,
          reference: row!.providerRef,
        },
      },
    ]);
  });

  it('retries a refused message with backoff until the server takes it; wrong credentials stay queued', async () => {
    const user = await createUser(api.handle);
    await queueMessage(api.handle, {
      kind: 'email',
      ownerId: 0,
      senderId: null,
      userId: user.id,
      recipient: 'later@example.test',
      subject: 'Later',
      body: 'x',
      reason: 'test',
    });
    offsetMs = 0;
    refuseNext = 1;
    expect(await sendDue(jobWith(smtpPorts()))).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await admin().messages.list.query({ userId: user.id }))[0]).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: expect.stringContaining('451'),
    });
    expect(await sendDue(jobWith(smtpPorts('mailer', 'wrong')))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    offsetMs = retryDelayMs(1, 1) + 1000;
    expect(await sendDue(jobWith(smtpPorts('mailer', 'wrong')))).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await admin().messages.list.query({ userId: user.id }))[0]!.lastError).toMatch(/Invalid username/);
    offsetMs = retryDelayMs(2, 1) + retryDelayMs(1, 1) + 2000;
    expect(await sendDue(jobWith(smtpPorts()))).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(inbox.pop()!.to).toEqual(['later@example.test']);
    expect((await admin().messages.list.query({ userId: user.id }))[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('sends the low-balance warning a ledger move queued', async () => {
    const user = await createUser(api.handle, { balance: '3', username: 'warned' });
    const [address] = await queryRows<{ id: number }>(
      api.handle.db,
      sql`insert into addresses (email) values ('warned@example.test') returning id`,
    );
    await api.handle.db.execute(
      sql`update users set warning_email_active = true, warning_email_balance = 2, address_id = ${address!.id} where id = ${user.id}`,
    );
    await api.handle.db.execute(
      sql`insert into emails (owner_id, name, subject, body) values (0, 'warning_balance_email',
        'Balance of <%= username %>: <%= balance %>', 'Dear <%= username %>, your balance fell below <%= warning_balance %>.')`,
    );
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-1.5' });
    offsetMs = 0;
    expect(await sendDue(jobWith(smtpPorts()))).toMatchObject({ sent: 1 });
    const mail = parseMail(inbox.pop()!.raw);
    expect(mail.headers.to).toBe('warned@example.test');
    expect(mail.subject).toBe('Balance of warned: 1.50');
    expect(mail.body).toBe('Dear warned, your balance fell below 2.00.');
  });
});
