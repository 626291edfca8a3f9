import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRawBody } from '../../src/entry/nodeBody.ts';
import { readParams } from '../../src/mor/params.ts';

// The real Node HTTP server (@hono/node-server, as src/entry/node.ts runs it) answering with the
// parameters readParams read through nodeRawBody, and which reader took the body.
let server: ReturnType<typeof serve>;
let port = 0;
let lastReader: 'node' | 'web' = 'web';

beforeAll(async () => {
  server = serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request: Request, env: unknown) => {
      lastReader = 'web';
      const params = await readParams(request, undefined, () => {
        const direct = nodeRawBody(request, env);
        if (direct) lastReader = 'node';
        return direct;
      });
      // ?wait: answer late, as a call that goes on to the database does.
      if (request.url.includes('wait')) await new Promise((r) => setTimeout(r, 200));
      const files: Record<string, string> = {};
      for (const [name, file] of params.files)
        files[name] = createHash('sha1')
          .update(new Uint8Array(await file.arrayBuffer()))
          .digest('hex');
      return Response.json({ params: params.toObject(), files, reader: lastReader });
    },
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const url = (path = '/billing/api/x') => `http://127.0.0.1:${port}${path}`;
type Answer = { params: Record<string, string>; files: Record<string, string>; reader: string };
const post = async (init: RequestInit, path?: string) =>
  (await (await fetch(url(path), { method: 'POST', ...init })).json()) as Answer;

/** One raw HTTP/1.1 exchange; `parts` are written with a pause between them (a body that arrives late). */
function raw(parts: string[], pauseMs = 30): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const at = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? Number.NaN);
      if (at !== -1 && text.length - at - 4 >= length) {
        socket.end();
        resolve(JSON.parse(text.slice(at + 4, at + 4 + length)) as Answer);
      }
    });
    socket.on('error', reject);
    (async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    })();
  });
}

describe('nodeRawBody: the XML API body read from IncomingMessage', () => {
  it('reads a form POST, the query string still overriding it', async () => {
    const answer = await post(
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'u=admin&prefix=370&name=%C5%A1' },
      '/billing/api/x?prefix=371',
    );
    expect(answer).toEqual({ params: { u: 'admin', prefix: '371', name: 'š' }, files: {}, reader: 'node' });
  });

  it('reads a JSON POST and a multipart POST with a binary file, byte for byte', async () => {
    const json = await post({ headers: { 'content-type': 'application/json' }, body: '{"u":"admin","n":7}' });
    expect(json).toEqual({ params: { u: 'admin', n: '7' }, files: {}, reader: 'node' });
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 131) % 256);
    const form = new FormData();
    form.append('u', 'admin');
    form.append('file', new File([bytes], 'rates.bin', { type: 'application/octet-stream' }));
    const multipart = await post({ body: form });
    expect(multipart.reader).toBe('node');
    expect(multipart.params).toEqual({ u: 'admin', file: 'rates.bin' });
    expect(multipart.files.file).toBe(createHash('sha1').update(bytes).digest('hex'));
  });

  it('waits for a body that arrives after the headers, in pieces', async () => {
    const body = 'u=admin&prefix=37060012345&hash=abc';
    const head = `POST /billing/api/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await raw([head, body.slice(0, 10), body.slice(10)]);
    expect(answer).toEqual({ params: { u: 'admin', prefix: '37060012345', hash: 'abc' }, files: {}, reader: 'node' });
  });

  it('leaves a chunked body (no declared length) to the web reader, which limits it while it streams', async () => {
    const body = 'u=admin&prefix=370';
    const head =
      'POST /billing/api/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n';
    const answer = await raw([head, `${body.length.toString(16)}\r\n${body}\r\n`, '0\r\n\r\n']);
    expect(answer).toEqual({ params: { u: 'admin', prefix: '370' }, files: {}, reader: 'web' });
  });

  it('survives a client that leaves in the middle of a body that is never read (multipart, no boundary)', async () => {
    // The body is abandoned unread; the client leaves while the call goes on, so its read fails then.
    const head =
      'POST /billing/api/x?u=a&wait=1 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\nContent-Length: 500\r\n\r\n';
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => resolve());
      socket.write(`${head}--partial`, (error) => {
        if (error) reject(error);
        setTimeout(() => socket.destroy(), 50);
      });
    });
    // That failure must be handled (an unhandled rejection would fail this file, and end a Node server).
    await new Promise((r) => setTimeout(r, 300));
    const answer = await post({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'u=after' });
    expect(answer).toEqual({ params: { u: 'after' }, files: {}, reader: 'node' });
  });

  it('keeps the connection usable: two calls on one keep-alive socket, the first with an empty body', async () => {
    const first = 'POST /billing/api/x?u=a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n';
    const body = 'u=b';
    const second = `POST /billing/api/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answers = await new Promise<Answer[]>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      const got: Answer[] = [];
      socket.on('data', (chunk) => {
        text += chunk.toString();
        for (;;) {
          const at = text.indexOf('\r\n\r\n');
          if (at === -1) return;
          const length = Number(/content-length: (\d+)/i.exec(text.slice(0, at))?.[1]);
          if (text.length - at - 4 < length) return;
          got.push(JSON.parse(text.slice(at + 4, at + 4 + length)) as Answer);
          text = text.slice(at + 4 + length);
          if (got.length === 2) {
            socket.end();
            resolve(got);
            return;
          }
        }
      });
      socket.on('error', reject);
      socket.write(first + second);
    });
    expect(answers.map((a) => a.params)).toEqual([{ u: 'a' }, { u: 'b' }]);
  });
});
