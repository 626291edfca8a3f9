import { connectPostgres } from '../src/db/connectPostgres.ts';
import { silentLog } from '../src/domain/ctx.ts';
import { RateIndex } from '../src/domain/rating/cache/rateIndex.ts';

/**
 * Loads one user's tariff into a RateIndex in this process and measures what it retains (heap and
 * typed arrays after full GCs) and how long the background load took. Needs `node --expose-gc`.
 */
export async function measureIndexMemory(
  url: string,
  username: string,
): Promise<{ seconds: number; heapMb: number; arrayMb: number; rows: number; reportedMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const handle = await connectPostgres(url, { max: 2 });
  try {
    gc();
    const before = process.memoryUsage();
    const index = new RateIndex(handle.db, true, { maxBytes: 8e9, barrier: false, log: silentLog, copy: handle });
    const started = performance.now();
    const scope = { role: 'admin' as const, actorId: 0, adminTariffsAllowed: false, adminSeesAll: false };
    index.lookup(scope, { username, digits: '1000123456', full: true, at: new Date() });
    await index.idle();
    const seconds = (performance.now() - started) / 1000;
    gc();
    gc();
    const after = process.memoryUsage();
    return {
      seconds,
      heapMb: (after.heapUsed - before.heapUsed) / 1e6,
      arrayMb: (after.arrayBuffers - before.arrayBuffers) / 1e6,
      rows: index.stats().heldRows,
      reportedMb: index.stats().heldMb,
    };
  } finally {
    await handle.close();
  }
}
