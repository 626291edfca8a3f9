// Memory under attack bodies, on a real server process: 40 distinct 20 MB `user_login` requests with a
// wrong hash (no account needed) must not grow the server by the bodies they carried. The hash digest
// cache once kept every hash input (here 20 MB each) until it held 10,000 of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMeasureRss, type ServerProcess, startServer, streamBody } from '../helpers/server.ts';

/** 800 MB in all: twice the bound, so a cache keeping the bodies cannot pass. */
const BODIES = 40;
const MB = 1024 * 1024;
const BODY_MB = 20;
/** Growth of the peak RSS allowed over the idle server: a few bodies in flight, never all of them. */
const BOUND_MB = 400;

let server: ServerProcess;
beforeAll(async () => {
  if (!canMeasureRss) return;
  // A heap limit below what the bodies add up to (800 MB): a cache that keeps them dies instead of swapping CI.
  server = await startServer({ nodeArgs: ['--max-old-space-size=512'] });
});
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!canMeasureRss)('hash cache memory', () => {
  it('keeps the peak RSS bounded under 40 distinct 20 MB bodies with a wrong hash', async () => {
    const filler = new Uint8Array(MB).fill(0x61); // "a"
    server.resetPeak();
    const idle = server.peakRssMb();
    for (let n = 0; n < BODIES; n++) {
      const head = `u=admin&hash=0000000000000000000000000000000000000000&p=${n}-`;
      const reply = await streamBody(server.port, '/billing/api/user_login', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        pieces: BODY_MB + 1,
        piece: (i) => (i === 0 ? head : filler),
        contentLength: head.length + BODY_MB * MB,
      });
      if (reply.status === 0) await new Promise((r) => setTimeout(r, 1000));
      if (!server.alive()) throw new Error(`server died at body ${n}: ${server.output().slice(-1000)}`);
      expect(`${reply.status} ${reply.body}`, `body ${n}`).toMatch(/^200 .*Incorrect hash/s);
    }
    const peak = server.peakRssMb();
    console.log(
      `hash cache: ${BODIES} x ${BODY_MB} MB wrong-hash user_login bodies: peak RSS ${peak} MB (idle ${idle} MB, +${peak - idle} MB)`,
    );
    expect(peak - idle).toBeLessThan(BOUND_MB);
  }, 600_000);
});
