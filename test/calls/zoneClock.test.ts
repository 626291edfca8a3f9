import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/domain/calls/ingest/zoneClock.ts';
import { localClock } from '../../src/domain/rating/localClock.ts';

describe('ZoneClock', () => {
  it('tells the same wall clock as localClock, across DST changes, in many zones', () => {
    const clock = new ZoneClock();
    const zones = [
      'UTC',
      'Tokyo',
      'Pacific Time (US & Canada)',
      'London',
      'Newfoundland',
      'Kathmandu',
      'Adelaide',
      'Chatham Is.',
      'nowhere',
    ];
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const starts = [Date.UTC(2026, 2, 8, 9, 0, 0), Date.UTC(2026, 9, 25, 0, 0, 0), Date.UTC(2026, 10, 1, 8, 0, 0)];
    for (let k = 0; k < 3000; k++) {
      const base = k < 600 ? starts[k % 3]! : Date.UTC(2020, 0, 1);
      const ms = base + Math.floor(next() * (k < 600 ? 4 * 3_600_000 : 7 * 365 * 86_400_000));
      const zone = zones[k % zones.length]!;
      expect({ zone, ms, ...clock.at(ms, zone) }).toEqual({ zone, ms, ...localClock(new Date(ms), zone) });
    }
  });
});
