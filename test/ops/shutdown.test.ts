import { request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { sha1Hex } from '../../src/domain/crypto.ts';
import { SERVER_SECRETS, type ServerProcess, startServer } from '../helpers/server.ts';

let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
});

/**
 * A request held in flight by its own body: headers and the first half of a form body go out now,
 * the rest when `finish()` is called. Resolves with the status and the answer.
 */
function slowPost(port: number, path: string, body: string) {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  const answer = new Promise<{ status: number; body: string }>((ok, fail) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
  });
  return { answer, finish: () => req.end(body.slice(half)) };
}

describe('graceful shutdown (Node entry, real process)', () => {
  it('on SIGTERM stops accepting, lets the request in flight finish, closes and exits 0 with a log line', async () => {
    server = await startServer({ env: { LOG_LEVEL: 'info' } });
    const { port, child } = server;
    const hash = await sha1Hex(`admin${SERVER_SECRETS.MOR_ADMIN_PASSWORD}${SERVER_SECRETS.MOR_API_SECRET_KEY}`);
    const body = new URLSearchParams({ u: 'admin', p: SERVER_SECRETS.MOR_ADMIN_PASSWORD, hash }).toString();
    const slow = slowPost(port, '/billing/api/users_get', body);
    await new Promise((r) => setTimeout(r, 300)); // the request has reached the server
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    // New connections are refused while the one in flight drains.
    const deadline = Date.now() + 5000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await fetch(`http://127.0.0.1:${port}/health`).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
    expect(server.alive()).toBe(true); // still draining
    slow.finish();
    const answer = await slow.answer;
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<users></users>'); // the full answer of users_get (no users yet)
    expect(await exited).toBe(0);
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM', drainMs: 10000 });
    expect(lines.find((l) => l.msg === 'stopped')).toMatchObject({ signal: 'SIGTERM', drained: true });
    // The drained request was logged before the stop.
    const request = lines.findIndex((l) => l.msg === 'request' && l.morMethod === 'users_get');
    expect(request).toBeGreaterThan(-1);
    expect(request).toBeLessThan(lines.findIndex((l) => l.msg === 'stopped'));
  }, 300_000);
});
