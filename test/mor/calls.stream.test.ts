import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { unix } from '../helpers/calls.ts';
import { createUser } from '../helpers/factories.ts';

/**
 * user_calls_get streams: a 100,000-call answer is read a page at a time as the client pulls, so the
 * process never holds the document (about 100 MB of XML) in memory.
 */
const api = useTestApp();
v8.setFlagsFromString('--expose-gc');
/** A full collection: RSS then shows what is still held, not garbage the collector has not reached yet. */
const gc = vm.runInNewContext('gc') as () => void;
const N = 100_000;
let userId: number;

beforeAll(async () => {
  userId = (await createUser(api.handle)).id;
  await api.handle.db.execute(sql`select openmor_calls_partition('2024-03-01T00:00:00Z'::timestamptz)`);
  // Test setup: N answered calls over March 2024 (one every 26 s), prices varying.
  await api.handle.db.execute(sql`insert into calls (user_id, calldate, uniqueid, src, dst, disposition, duration,
      billsec, rating_status, user_rate, user_price, provider_price)
    select ${userId}::int, '2024-03-01T00:00:00Z'::timestamptz + (i * 26) * interval '1 second', 'u' || i,
      '37060000001', '3706991' || lpad(i::text, 5, '0'), 'ANSWERED', 65, 60, 'rated', 0.1, (i % 997) / 1000.0, 0.05
    from generate_series(1, ${N}::int) i`);
}, 120_000);

/** Reads a streamed answer chunk by chunk: time to the first byte, calls seen, peak RSS growth. */
async function stream(params: Record<string, string>, check?: (chunk: string) => void) {
  const hash = await api.hash(params, ['period_start', 'period_end', 's_user', 'order_by', 'order_desc']);
  const url = new URL('http://openmor.test/billing/api/user_calls_get');
  for (const [k, v] of Object.entries({ u: 'admin', ...params, hash })) url.searchParams.set(k, v);
  gc();
  const start = process.memoryUsage();
  const base = start.rss;
  const heapBase = start.heapUsed + start.external;
  let heap = heapBase;
  let peak = base;
  const started = performance.now();
  const response = await api.app.app.request(url.toString(), { method: 'POST' });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let firstByte = 0;
  let calls = 0;
  let bytes = 0;
  let tail = '';
  let measured = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByte === 0) firstByte = performance.now() - started;
    bytes += value.byteLength;
    const text = tail + decoder.decode(value, { stream: true });
    const cut = text.lastIndexOf('\n') + 1;
    const whole = text.slice(0, cut);
    tail = text.slice(cut);
    calls += whole.split('<call>').length - 1;
    check?.(whole);
    if (bytes - measured > 4_000_000) {
      measured = bytes;
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      heap = Math.max(heap, m.heapUsed + m.external);
    }
  }
  return { calls, bytes, firstByte, growth: peak - base, heapGrowth: heap - heapBase, ms: performance.now() - started };
}

describe('user_calls_get streaming', () => {
  it('answers 100,000 calls with small memory growth', async () => {
    const period = { period_start: unix('2024-03-01T00:00:00Z'), period_end: unix('2024-03-31T23:59:59Z') };
    const r = await stream({ ...period, s_user: String(userId) });
    console.log(
      `user_calls_get ${r.calls} calls, ${(r.bytes / 1e6).toFixed(1)} MB of XML: first byte ${r.firstByte.toFixed(0)} ms, ` +
        `total ${r.ms.toFixed(0)} ms, peak RSS growth ${(r.growth / 1e6).toFixed(1)} MB, JS heap + external ${(r.heapGrowth / 1e6).toFixed(1)} MB`,
    );
    expect(r.calls).toBe(N);
    // Holding the document would take more than its size (about 107 MB). The JavaScript heap holds
    // at most a page; RSS also counts the embedded database's own memory and allocator slack.
    expect(r.heapGrowth).toBeLessThan(30_000_000);
    expect(r.growth).toBeLessThan(100_000_000);
  }, 300_000);

  it('pages a sort on another column without losing or repeating a call', async () => {
    const period = { period_start: unix('2024-03-01T00:00:00Z'), period_end: unix('2024-03-31T23:59:59Z') };
    const seen = new Set<string>();
    let last = Number.POSITIVE_INFINITY;
    let ordered = true;
    const r = await stream({ ...period, s_user: String(userId), order_by: 'u_price', order_desc: '1' }, (chunk) => {
      for (const m of chunk.matchAll(/<user_price>([\d.]+)<\/user_price>[\s\S]*?<uniqueid>(\w+)<\/uniqueid>/g)) {
        const price = Number(m[1]);
        if (price > last) ordered = false;
        last = price;
        seen.add(m[2]!);
      }
    });
    expect(r.calls).toBe(N);
    expect(seen.size).toBe(N);
    expect(ordered).toBe(true);
  }, 300_000);
});
