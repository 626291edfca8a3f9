import { expect } from 'vitest';
import type { RateIndex } from '../../src/domain/rating/cache/rateIndex.ts';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(run: () => Promise<T>): Promise<Settled<T>> =>
  run().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * Runs a rate lookup on the SQL path (index paused), then again once the index has loaded what the
 * lookup needs; fails unless both answer the same (value, or error code and detail). Returns the answer.
 */
export async function viaSqlAndIndex<T>(index: RateIndex, run: () => Promise<T>): Promise<T> {
  await index.settle(); // fixtures wrote rows directly: hear their notifications first (Postgres)
  index.paused = true;
  const viaSql = await settle(run).finally(() => {
    index.paused = false;
  });
  await settle(run); // a miss starts the loads
  await index.idle();
  const { misses } = index.stats();
  const viaIndex = await settle(run);
  // A lookup refused before it reaches the index (empty number…) counts neither way.
  expect(index.stats().misses, 'the warm index missed').toBe(misses);
  expect(shape(viaIndex)).toEqual(shape(viaSql));
  if (!viaSql.ok) throw viaSql.error;
  return viaSql.value;
}

const shape = <T>(s: Settled<T>) =>
  s.ok ? s : { ok: false, code: (s.error as { code?: string }).code, detail: (s.error as { detail?: string }).detail };
