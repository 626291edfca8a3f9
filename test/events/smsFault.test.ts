import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kannelSms } from '../../src/adapters/kannelSms.ts';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { queueMessage } from '../../src/domain/messages/queueMessage.ts';
import { sendDue } from '../../src/domain/messages/sendMessages.ts';
import { retryDelayMs } from '../../src/domain/webhooks/backoff.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser, setConflines } from '../helpers/factories.ts';

/**
 * Fault test of the SMS path (as webhooks.test.ts and email.test.ts do for receivers and SMTP): a
 * Kannel-style sendsms gateway that is down (connection refused), then up but overloaded (503), then
 * up but losing its answers (it takes the SMS and drops the connection), then healthy. Every SMS
 * queued must arrive exactly once in the receiver's dedup view (keyed by the `{id}` in Kannel's
 * dlr-url), none lost, with the retries visible in messages.list.
 */
const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

type Mode = 'overloaded' | 'loses-answers' | 'healthy';
let mode: Mode = 'healthy';
let losesLeft = 0;
const raw: { id: string; to: string; text: string }[] = [];
const dedup = new Map<string, { to: string; text: string }>();
let gateway: Server | null = null;
let port = 0;

const handler = createServer((req, res) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  if (mode === 'overloaded') {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('Service unavailable');
    return;
  }
  const dlr = new URL(q.get('dlr-url') ?? 'http://x/');
  const id = dlr.searchParams.get('id') ?? '';
  const sms = { id, to: q.get('to') ?? '', text: q.get('text') ?? '' };
  raw.push(sms);
  if (!dedup.has(id)) dedup.set(id, { to: sms.to, text: sms.text });
  if (mode === 'loses-answers' && losesLeft > 0) {
    losesLeft--;
    req.socket.destroy(); // taken, but the answer never reaches openmor
    return;
  }
  res.writeHead(202, { 'content-type': 'text/plain' }).end('0: Accepted for delivery');
}).listeners('request')[0] as Parameters<typeof createServer>[0];

const up = () =>
  new Promise<void>((ok) => {
    gateway = createServer(handler);
    gateway.listen(port, '127.0.0.1', () => ok());
  });
const down = () =>
  new Promise<void>((ok) => {
    if (!gateway) return ok();
    gateway.closeAllConnections();
    gateway.close(() => ok());
    gateway = null;
  });

beforeAll(async () => {
  await up();
  port = (gateway!.address() as AddressInfo).port;
  await down();
});
afterAll(() => down());

let offsetMs = 0;
const job = () => ({
  db: api.handle.db,
  clock: () => new Date(Date.now() + offsetMs + 1), // +1 ms: Postgres stamps in µs, this clock in ms
  log: silentLog,
  ports: { sms: kannelSms() },
});
/** Moves the clock past the longest backoff after `attempts` failures. */
const pastBackoff = (attempts: number) => {
  offsetMs += retryDelayMs(attempts, 0.999_999) + 1_000;
};

describe('SMS gateway down, then up', () => {
  it('delivers every queued SMS exactly once in the dedup view, none lost, retries visible', async () => {
    await setConflines(api.handle, 0, {
      sms_gateway_url: `http://127.0.0.1:${port}/cgi-bin/sendsms?username={username}&password={password}&from={from}&to={to}&text={text}&charset=UTF-8&coding=2&dlr-mask=31&dlr-url=http%3A%2F%2Fopenmor.test%2Fdlr%3Fid%3D{id}`,
      sms_gateway_username: 'tester',
      sms_gateway_password: 'kannel-pw',
    });
    const user = await createUser(api.handle);
    const queued = new Map<number, { to: string; text: string }>();
    const queue = async (n: number) => {
      const to = `3706000${String(1000 + n)}`;
      const text = `Žinutė #${n} & ačiū`;
      const id = await queueMessage(api.handle, {
        kind: 'sms',
        ownerId: 0,
        senderId: null,
        userId: user.id,
        recipient: to,
        sender: 'openmor',
        body: text,
        reason: 'fault-test',
      });
      queued.set(id, { to, text });
    };
    for (let n = 1; n <= 8; n++) await queue(n);

    // Down: nothing listens on the gateway's port.
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 8, failed: 0 });
    expect(raw).toHaveLength(0);
    let listed = await admin().messages.list.query({ userId: user.id });
    expect(listed.every((m) => m.status === 'queued' && m.attempts === 1 && m.lastError !== '')).toBe(true);
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 0, failed: 0 }); // none due before its backoff

    // Up but overloaded: 503 answers; more SMS are queued meanwhile.
    await up();
    mode = 'overloaded';
    for (let n = 9; n <= 12; n++) await queue(n);
    pastBackoff(1);
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 12, failed: 0 });
    listed = await admin().messages.list.query({ userId: user.id });
    expect(listed.filter((m) => m.lastError.includes('HTTP 503'))).toHaveLength(12);

    // Up, but the first 3 answers are lost after the gateway took the SMS: those are sent again.
    mode = 'loses-answers';
    losesLeft = 3;
    pastBackoff(2);
    expect(await sendDue(job())).toEqual({ sent: 9, retrying: 3, failed: 0 });

    // Healthy: the rest goes.
    mode = 'healthy';
    pastBackoff(3);
    expect(await sendDue(job())).toEqual({ sent: 3, retrying: 0, failed: 0 });
    pastBackoff(4);
    expect(await sendDue(job())).toEqual({ sent: 0, retrying: 0, failed: 0 });

    // Exactly once in the dedup view, with what was queued; at least once on the wire.
    expect(new Map([...dedup].map(([id, sms]) => [Number(id), sms]))).toEqual(queued);
    expect(raw).toHaveLength(12 + 3);
    const counts = new Map<string, number>();
    for (const r of raw) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([...Array(9).fill(1), 2, 2, 2]);

    // Retries visible: every message sent, with the attempts it took.
    listed = await admin().messages.list.query({ userId: user.id });
    expect(listed.every((m) => m.status === 'sent' && m.providerRef === '0: Accepted for delivery')).toBe(true);
    // Attempts = the failed rounds before the gateway took anything (down and 503: two for the first
    // eight, one for the four queued while down) + the times the gateway saw the SMS.
    const firstEight = [...queued.keys()].slice(0, 8);
    for (const m of listed) {
      expect(m.attempts).toBe((firstEight.includes(m.id) ? 2 : 1) + (counts.get(String(m.id)) ?? 0));
    }
    console.log(
      `sms fault: attempts ${listed.map((m) => m.attempts).join(',')}; ${raw.length} gateway hits for 12 SMS`,
    );
    const events = await queryRows<{ type: string; n: number }>(
      api.handle.db,
      sql`select type, count(*)::int as n from outbox_events where user_id = ${user.id} and type like 'message.%' group by type`,
    );
    expect(events).toEqual([{ type: 'message.sent', n: 12 }]);
  });
});
