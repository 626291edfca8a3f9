import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { deliverDue } from '../../src/domain/webhooks/deliverWebhooks.ts';
import { smtpTransport } from '../../src/entry/adapters/smtp.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

/**
 * Delivery is kicked by the commit that queues (NOTIFY openmor_delivery), not by the scheduler tick:
 * the app here runs no scheduler at all, so whatever arrives was sent by the kick.
 */
const inbox: { at: number; to: string[] }[] = [];
const hits: { at: number; id: string }[] = [];
let smtp: SMTPServer;
let receiver: Server;
let smtpPort = 0;
let hookUrl = '';

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    // Plain SMTP: this file measures the kick, not TLS (email.test.ts covers STARTTLS and AUTH).
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        inbox.push({ at: Date.now(), to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', () => ok()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      hits.push({ at: Date.now(), id: String(req.headers['webhook-id']) });
      // A slow receiver: concurrent senders would overlap here if two claimed the same delivery.
      setTimeout(() => res.writeHead(204).end(), 20);
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise<void>((ok) => smtp.close(() => ok()));
  await new Promise<void>((ok) => receiver.close(() => ok()));
});

const api = useTestApp({
  kickDelivery: true,
  ports: () => ({
    mail: smtpTransport(`smtp://127.0.0.1:${smtpPort}/?tls.rejectUnauthorized=false`),
    mailFrom: 'billing@openmor.test',
  }),
});
const admin = () => clientWith(api, TEST.adminToken);

const waitFor = async (done: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 5));
  return done();
};

describe('delivery kick', () => {
  it('sends the e-mail an API call queued right after the answer, without a scheduler tick', async () => {
    const user = await createUser(api.handle, { balance: '3' });
    await admin().users.update.mutate({
      id: user.id,
      address: { email: 'kicked@example.test' },
      warningEmailActive: true,
      warningEmailBalance: '2',
    });
    const answered = Date.now();
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-2' });
    const after = Date.now();
    expect(await waitFor(() => inbox.length === 1)).toBe(true);
    const latency = inbox[0]!.at - after;
    console.log(`kick: e-mail arrived ${latency} ms after the API answer (call took ${after - answered} ms)`);
    // No scheduler runs here, so its arrival proves the kick; the figure is printed, not judged (a loaded
    // CI machine takes longer; the bound only catches a delivery that waited for something else).
    expect(latency).toBeLessThan(10_000);
    expect(inbox[0]!.to).toEqual(['kicked@example.test']);
    const status = () =>
      queryRows<{ status: string; attempts: number }>(
        api.handle.db,
        sql`select status, attempts from messages where user_id = ${user.id}`,
      );
    let rows = await status();
    for (let i = 0; i < 100 && rows[0]?.status !== 'sent'; i++) {
      await new Promise((ok) => setTimeout(ok, 20));
      rows = await status();
    }
    expect(rows).toEqual([{ status: 'sent', attempts: 1 }]);
  });

  it('delivers each webhook event once although kicks and extra senders run at the same time', async () => {
    await admin().webhooks.create.mutate({ url: hookUrl, eventTypes: ['balance.changed'] });
    const user = await createUser(api.handle);
    hits.splice(0);
    await admin().users.changeBalance.mutate({ id: user.id, amount: '1' });
    const answered = Date.now();
    expect(await waitFor(() => hits.length === 1)).toBe(true);
    console.log(`kick: webhook arrived ${hits[0]!.at - answered} ms after the API answer`);
    expect(hits[0]!.at - answered).toBeLessThan(10_000);
    const started = Date.now();
    const job = { db: api.handle.db, clock: () => new Date(), log: silentLog };
    const extra: Promise<unknown>[] = [];
    for (let i = 2; i <= 20; i++) {
      await admin().users.changeBalance.mutate({ id: user.id, amount: String(i) });
      // Another instance's sender (or a scheduler tick) racing the kicks for the same rows.
      if (i % 4 === 0) extra.push(deliverDue(job));
    }
    await Promise.all(extra);
    expect(await waitFor(() => hits.length >= 20)).toBe(true);
    await new Promise((ok) => setTimeout(ok, 300)); // a duplicate would arrive meanwhile
    console.log(`kick: 19 more events delivered ${hits.at(-1)!.at - started} ms after the first of their calls`);
    expect(hits).toHaveLength(20);
    expect(new Set(hits.map((h) => h.id)).size).toBe(20);
    const [pending] = await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`,
    );
    expect(pending!.n).toBe(0);
  });

  it('an event no webhook wants and a rolled-back cause do not notify', async () => {
    const notes: string[] = [];
    const stop = await api.handle.listen('openmor_delivery', (payload) => notes.push(payload));
    await api.handle.db.execute(
      sql`insert into outbox_events (type, realm_id, user_id, payload) values ('card.sold', 0, null, '{}')`,
    );
    await api.handle.db
      .transaction(async (tx) => {
        await tx.execute(
          sql`insert into messages (kind, owner_id, recipient, body, reason) values ('email', 0, 'x@example.test', 'x', 'test')`,
        );
        throw new Error('rollback');
      })
      .catch(() => {});
    await api.handle.db.execute(
      sql`insert into messages (kind, owner_id, recipient, body, reason) values ('email', 0, 'y@example.test', 'y', 'test')`,
    );
    expect(await waitFor(() => notes.length > 0)).toBe(true);
    await new Promise((ok) => setTimeout(ok, 100));
    await stop();
    expect(notes).toEqual(['messages']);
  });
});
