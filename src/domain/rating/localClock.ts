import { ianaZone } from '../settings/timeZones.ts';
import { wallParts } from '../settings/wallClock.ts';

/** A moment as a user's wall clock sees it: work day or free day (Sat/Sun), and `HH:MM:SS`. */
export interface LocalClock {
  dayType: 'WD' | 'FD';
  time: string;
}

/** The last answer per zone: the wall clock only changes once a second, and routing asks far more often. */
const lastByZone = new Map<string, { second: number; clock: LocalClock }>();

/** `at` on the wall clock of a user whose stored time zone is `userZone` (Rails or IANA name; else UTC). */
export function localClock(at: Date, userZone: string): LocalClock {
  const second = Math.floor(at.getTime() / 1000);
  const last = lastByZone.get(userZone);
  if (last !== undefined && last.second === second) return last.clock;
  const p = wallParts(at, ianaZone(userZone));
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const clock: LocalClock = {
    dayType: p.weekday === 'Sat' || p.weekday === 'Sun' ? 'FD' : 'WD',
    time: `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`,
  };
  if (lastByZone.size >= 1_000) lastByZone.clear();
  lastByZone.set(userZone, { second, clock });
  return clock;
}

/**
 * A time band is in effect at `clock`: its day type matches (or is all days) and the time is inside it.
 * Times are Postgres `time` text (`HH:MM:SS[.ffffff]`), whose string order is their time order.
 */
export function bandIsNow(band: { daytype: string; startTime: string; endTime: string }, clock: LocalClock): boolean {
  return (
    (band.daytype === '' || band.daytype === clock.dayType) &&
    band.startTime <= clock.time &&
    clock.time <= band.endTime
  );
}
