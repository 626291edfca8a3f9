import { describe, expect, it } from 'vitest';
import { IsoClock } from '../../src/domain/calls/ingest/isoClock.ts';

describe('IsoClock', () => {
  it('writes exactly what toISOString writes, in any order of instants', () => {
    const clock = new IsoClock();
    const from = Date.UTC(1900, 0, 1);
    const span = Date.UTC(2200, 0, 1) - from;
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const instants = [0, -1, 1, 86_399_999, 86_400_000, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1)];
    for (let i = 0; i < 20_000; i++) instants.push(from + Math.floor(random() * span));
    // Runs of one day (the cached date), then jumps back and forth.
    const day = Date.UTC(2026, 9, 1);
    for (let i = 0; i < 2_000; i++) instants.push(day + Math.floor(random() * 86_400_000));
    for (const ms of instants) expect(clock.text(ms)).toBe(new Date(ms).toISOString());
  });
});
