import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/domain/ctx.ts';
import { runDueJobs } from '../../src/domain/jobs/jobs.ts';
import { retryDelayMs } from '../../src/domain/webhooks/backoff.ts';
import { deliverDue } from '../../src/domain/webhooks/deliverWebhooks.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

/** A real HTTP receiver that checks every Standard Webhooks signature with node:crypto. */
interface Received {
  path: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  signatureOk: boolean;
}
const received: Received[] = [];
let failuresLeft = 0;
const secrets = new Map<string, string>(); // path → secret
let server: Server;
let base = '';

const verify = (secret: string, id: string, ts: string, body: string, header: string) => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end('down');
        return;
      }
      const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      received.push({
        path: req.url ?? '',
        id: String(req.headers['webhook-id']),
        type: parsed.type,
        data: parsed.data,
        signatureOk: verify(
          secrets.get(req.url ?? '') ?? '',
          String(req.headers['webhook-id']),
          String(req.headers['webhook-timestamp']),
          body,
          String(req.headers['webhook-signature']),
        ),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

let offsetMs = 0;
// +1 ms: Postgres stamps rows in µs, this clock counts ms (a row of the same ms would not be due yet).
const job = () => ({ db: api.handle.db, clock: () => new Date(Date.now() + offsetMs + 1), log: silentLog });
const take = (path: string) => {
  const out = received.filter((r) => r.path === path);
  received.splice(0, received.length, ...received.filter((r) => r.path !== path));
  return out;
};
const clear = () => received.splice(0);

describe('webhooks', () => {
  it('are managed per realm, each with its own whsec_ secret shown only on creation', async () => {
    const hook = await admin().webhooks.create.mutate({ url: `${base}/a`, eventTypes: ['balance.changed'] });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const other = await admin().webhooks.create.mutate({ url: `${base}/b` });
    expect(other.secret).not.toBe(hook.secret);
    const listed = await admin().webhooks.list.query();
    expect(listed.map((h) => h.id)).toEqual([hook.id, other.id]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    const reseller = await createReseller(api.handle);
    const asReseller = await callerAs(api, reseller.username);
    expect(await asReseller.webhooks.list()).toEqual([]);
    expect((await trpcError(() => asReseller.webhooks.get({ id: hook.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => asReseller.webhooks.delete({ id: hook.id }))).code).toBe('NOT_FOUND');
    const user = await createUser(api.handle);
    expect((await trpcError(async () => (await callerAs(api, user.username)).webhooks.list())).code).toBe('FORBIDDEN');
    const asAdmin = await callerAs(api, 'admin');
    expect((await trpcError(() => asAdmin.webhooks.create({ url: 'ftp://x' }))).code).toBe('BAD_REQUEST');
    const rotated = await admin().webhooks.update.mutate({ id: other.id, rotateSecret: true, active: false });
    expect(rotated).toMatchObject({ active: false });
    expect((rotated as unknown as { secret: string }).secret).not.toBe(other.secret);
    await admin().webhooks.delete.mutate({ id: other.id });
    await admin().webhooks.delete.mutate({ id: hook.id });
    expect(await admin().webhooks.list.query()).toEqual([]);
  });

  it('deliver signed events in order per user, retry a failing receiver with backoff until it recovers', async () => {
    const hook = await admin().webhooks.create.mutate({ url: `${base}/orders`, eventTypes: ['balance.changed'] });
    secrets.set('/orders', hook.secret);
    const user = await createUser(api.handle);
    const other = await createUser(api.handle);
    clear();
    for (const amount of ['1', '2', '3']) await admin().users.changeBalance.mutate({ id: user.id, amount });
    await admin().users.changeBalance.mutate({ id: other.id, amount: '9' });

    // The receiver is down: nothing is delivered, the heads of both users' queues wait for a retry.
    failuresLeft = 1000;
    offsetMs = 0;
    expect(await deliverDue(job())).toEqual({ delivered: 0, retrying: 2, failed: 0 });
    expect(await deliverDue(job())).toEqual({ delivered: 0, retrying: 0, failed: 0 }); // not due yet
    let deliveries = await admin().webhooks.deliveries.query({ id: hook.id });
    expect(deliveries.map((d) => [d.status, d.attempts, d.lastStatus])).toEqual([
      ['pending', 1, 503],
      ['pending', 0, null],
      ['pending', 0, null],
      ['pending', 1, 503],
    ]);
    // It recovers; past the backoff, everything arrives, each user's events in order.
    failuresLeft = 0;
    offsetMs = retryDelayMs(1, 1) + 1000;
    expect(await deliverDue(job())).toEqual({ delivered: 4, retrying: 0, failed: 0 });
    const got = take('/orders');
    expect(got.every((r) => r.signatureOk && r.type === 'balance.changed')).toBe(true);
    expect(got.filter((r) => r.data.userId === user.id).map((r) => r.data.amount)).toEqual([
      '1.000000',
      '2.000000',
      '3.000000',
    ]);
    expect(got.filter((r) => r.data.userId === other.id).map((r) => r.data.amount)).toEqual(['9.000000']);
    deliveries = await admin().webhooks.deliveries.query({ id: hook.id, status: 'delivered' });
    expect(deliveries.map((d) => d.attempts)).toEqual([2, 1, 1, 2]); // newest first

    // Replay: the same events again, with the same ids.
    expect(await admin().webhooks.replay.mutate({ id: hook.id, since: '2000-01-01T00:00:00Z' })).toEqual({ queued: 4 });
    await deliverDue(job());
    expect(
      take('/orders')
        .map((r) => r.id)
        .sort(),
    ).toEqual(got.map((r) => r.id).sort());
    await admin().webhooks.delete.mutate({ id: hook.id });
  });

  it('give a delivery up only after 24 hours of failures; test sends a signed ping', async () => {
    const hook = await admin().webhooks.create.mutate({ url: `${base}/down`, eventTypes: ['payment.created'] });
    secrets.set('/down', hook.secret);
    const user = await createUser(api.handle);
    await admin().payments.create.mutate({ userId: user.id, currency: 'USD', amount: '1' });
    failuresLeft = 1000;
    offsetMs = 0;
    await deliverDue(job());
    offsetMs = 23 * 3_600_000;
    expect(await deliverDue(job())).toMatchObject({ retrying: 1, failed: 0 });
    offsetMs = 24 * 3_600_000 + 60_000;
    expect(await deliverDue(job())).toMatchObject({ failed: 1 });
    expect((await admin().webhooks.deliveries.query({ id: hook.id })).map((d) => [d.status, d.attempts])).toEqual([
      ['failed', 3],
    ]);
    failuresLeft = 0;
    clear();
    const ping = await admin().webhooks.test.mutate({ id: hook.id });
    expect(ping).toMatchObject({ ok: true, status: 204 });
    expect(take('/down')).toEqual([
      { path: '/down', id: ping.id, type: 'webhook.test', data: { webhookId: hook.id }, signatureOk: true },
    ]);
    await admin().webhooks.delete.mutate({ id: hook.id });
  });

  it("send a reseller's webhook its own realm's events only, from the scheduler tick", async () => {
    const reseller = await createReseller(api.handle);
    const asReseller = await callerAs(api, reseller.username);
    const hook = await asReseller.webhooks.create({ url: `${base}/realm` });
    secrets.set('/realm', hook.secret);
    const mine = await createUser(api.handle, { ownerId: reseller.id });
    await createUser(api.handle, { balance: '4' }); // the admin's realm
    await api.handle.db.execute(sql`select 1`);
    await asReseller.users.changeBalance({ id: mine.id, amount: '5' });
    offsetMs = 0;
    clear();
    const outcomes = await runDueJobs(job());
    expect(outcomes.find((o) => o.job === 'deliverWebhooks')).toMatchObject({ ran: true, result: { delivered: 1 } });
    expect(take('/realm').map((r) => [r.type, r.data.userId, r.signatureOk])).toEqual([
      ['balance.changed', mine.id, true],
    ]);
  });
});
