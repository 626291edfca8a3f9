import { spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../examples/webhooks/verify.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { deliverDue } from '../../src/domain/webhooks/deliverWebhooks.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

/**
 * The signature-verification examples of docs/webhooks.md (examples/webhooks/verify.ts and verify.sh)
 * accept a real delivery, byte for byte as the receiver got it, and refuse a changed body, another
 * secret and an old timestamp.
 */
const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const got: { headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const header = (h: IncomingHttpHeaders) => ({ get: (name: string) => (h[name] as string | undefined) ?? null });
const shell = (secret: string, h: IncomingHttpHeaders, body: string) =>
  spawnSync(
    'sh',
    [
      'examples/webhooks/verify.sh',
      secret,
      String(h['webhook-id']),
      String(h['webhook-timestamp']),
      String(h['webhook-signature']),
    ],
    { input: body },
  ).status;

describe('webhook signature verification examples', () => {
  it('accept a real delivery and refuse tampering, another secret and an old timestamp', async () => {
    const hook = await admin().webhooks.create.mutate({ url, eventTypes: ['balance.changed'] });
    const user = await createUser(api.handle);
    await admin().users.changeBalance.mutate({ id: user.id, amount: '2.5' });
    await deliverDue({ db: api.handle.db, clock: () => new Date(), log: silentLog });
    expect(got).toHaveLength(1);
    const { headers, body } = got[0]!;
    expect(JSON.parse(body)).toMatchObject({ type: 'balance.changed' });

    expect(await verifyWebhook(hook.secret, header(headers), body)).toBe(true);
    expect(await verifyWebhook(hook.secret, header(headers), body.replace('2.5', '25'))).toBe(false);
    const other = (await admin().webhooks.create.mutate({ url: `${url}2` })).secret;
    expect(await verifyWebhook(other, header(headers), body)).toBe(false);
    const later = Number(headers['webhook-timestamp']) + 301;
    expect(await verifyWebhook(hook.secret, header(headers), body, later)).toBe(false);

    expect(shell(hook.secret, headers, body)).toBe(0);
    expect(shell(hook.secret, headers, `${body} `)).toBe(1);
    expect(shell(other, headers, body)).toBe(1);
    expect(shell(hook.secret, { ...headers, 'webhook-timestamp': '1000000000' }, body)).toBe(1);
  });
});
