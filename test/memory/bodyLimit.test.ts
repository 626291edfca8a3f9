// Every body kind is limited while it streams: chunked bodies (no Content-Length) of 4-8x the limit,
// on a real server process, must be refused with the documented answer once the limit is passed, and
// the server's peak RSS must stay near one limit's worth. A chunked multipart body once skipped the
// limit (a streamed 1 GB file part took the server to 3.5 GB).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/mor/params.ts';
import { canMeasureRss, SERVER_SECRETS, type ServerProcess, startServer, streamBody } from '../helpers/server.ts';

const MB = 1024 * 1024;
const LIMIT_MB = MAX_BODY_BYTES / MB;
/** Growth of the peak RSS allowed over the idle server: what one limit's worth can cost, never the body. */
const BOUND_MB = 4 * LIMIT_MB;

let server: ServerProcess;
beforeAll(async () => {
  if (!canMeasureRss) return;
  server = await startServer({ nodeArgs: ['--max-old-space-size=1024'] });
});
afterAll(async () => {
  await server?.stop();
});

const filler = new Uint8Array(MB).fill(0x61);

interface Kind {
  name: string;
  path: string;
  headers: Record<string, string>;
  head: string;
  totalMb: number;
  expected: { status: number; body: RegExp };
}

const mor = { status: 413, body: /<error>Request is too large<\/error>/ };
const kinds: Kind[] = [
  {
    name: 'multipart file part (XML API)',
    path: '/billing/api/system_version_get',
    headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    head: '--XyZ\r\ncontent-disposition: form-data; name="file"; filename="rates.xml"\r\ncontent-type: text/xml\r\n\r\n',
    totalMb: 512,
    expected: mor,
  },
  {
    name: 'form (XML API)',
    path: '/billing/api/system_version_get',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    head: 'u=admin&p=',
    totalMb: 256,
    expected: mor,
  },
  {
    name: 'XML text (XML API)',
    path: '/billing/api/tariff_retail_import',
    headers: { 'content-type': 'text/xml' },
    head: '<rates><rate>',
    totalMb: 256,
    expected: mor,
  },
  {
    name: 'JSON (tRPC)',
    path: '/trpc/users.create',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVER_SECRETS.MOR_ADMIN_TOKEN}` },
    head: '{"username":"',
    totalMb: 256,
    expected: { status: 413, body: /"code":"PAYLOAD_TOO_LARGE"/ },
  },
];

describe.skipIf(!canMeasureRss)('body limit while streaming', () => {
  for (const kind of kinds) {
    it(`refuses a chunked ${kind.totalMb} MB ${kind.name} body past ${LIMIT_MB} MB with a bounded peak RSS`, async () => {
      // Let the previous body's garbage go before measuring this one.
      await new Promise((r) => setTimeout(r, 500));
      server.resetPeak();
      const idle = server.peakRssMb();
      const reply = await streamBody(server.port, kind.path, {
        headers: kind.headers,
        pieces: kind.totalMb + 1,
        piece: (i) => (i === 0 ? kind.head : filler),
      });
      if (reply.status === 0) await new Promise((r) => setTimeout(r, 1000));
      if (!server.alive()) throw new Error(`server died: ${server.output().slice(-1000)}`);
      const peak = server.peakRssMb();
      console.log(
        `body limit: chunked ${kind.totalMb} MB ${kind.name}: HTTP ${reply.status}, peak RSS ${peak} MB (idle ${idle} MB, +${peak - idle} MB)`,
      );
      expect(reply.status).toBe(kind.expected.status);
      expect(reply.body).toMatch(kind.expected.body);
      expect(peak - idle).toBeLessThan(BOUND_MB);
    }, 300_000);
  }
});
