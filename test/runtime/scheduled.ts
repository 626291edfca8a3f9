/**
 * Workers' Cron Trigger, for real: on workerd (`wrangler dev --test-scheduled`) nothing delivers
 * webhooks between requests (no listening connection, so no delivery kick); the `scheduled` handler
 * does, once a minute in production. This check registers a webhook to a local HTTP receiver, changes
 * a balance over tRPC, sees that nothing arrives without a tick, fires the cron through wrangler's
 * `/__scheduled` route and waits for the signed delivery.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export async function scheduledDelivery(baseUrl: string, adminToken: string): Promise<string> {
  const received: Delivery[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const port = (receiver.address() as { port: number }).port;
  try {
    const trpc = async (path: string, input: unknown) => {
      const response = await fetch(`${baseUrl}/trpc/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
      return (JSON.parse(text) as { result: { data: Record<string, unknown> } }).result.data;
    };
    await trpc('webhooks.create', { url: `http://127.0.0.1:${port}/hook`, eventTypes: ['balance.changed'] });
    const user = await trpc('users.create', { username: 'cron_probe', password: 'cron-probe-password-1' });
    await trpc('users.changeBalance', { id: user.id, amount: '12.5' });
    await sleep(1_500);
    const count = () => received.length;
    if (count() !== 0) throw new Error(`delivered before any cron tick (${count()})`);
    const tick = await fetch(`${baseUrl}/__scheduled?cron=*+*+*+*+*`, { signal: AbortSignal.timeout(30_000) });
    await tick.body?.cancel();
    if (tick.status !== 200) throw new Error(`/__scheduled answered ${tick.status}`);
    const deadline = Date.now() + 30_000;
    while (count() === 0 && Date.now() < deadline) await sleep(200);
    await sleep(500); // a second (duplicate) delivery would arrive meanwhile
    if (count() !== 1) throw new Error(`after one cron tick: ${count()} deliveries, expected 1`);
    const [delivery] = received;
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
      if (!delivery!.headers[header]) throw new Error(`delivery without ${header}`);
    const event = JSON.parse(delivery!.body) as { type?: string; data?: Record<string, unknown> };
    if (event.type !== 'balance.changed') throw new Error(`delivered ${delivery!.body.slice(0, 200)}`);
    return `balance.changed delivered by the cron tick, signed (${String(delivery!.headers['webhook-signature']).slice(0, 6)}…)`;
  } finally {
    receiver.close();
  }
}
