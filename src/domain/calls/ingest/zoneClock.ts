import { ianaZone } from '../../settings/timeZones.ts';
import { zoneOffsetMs } from '../../settings/wallClock.ts';

/**
 * The wall clock of many calls in a few time zones, fast: a zone's UTC offset is looked up once per
 * zone and UTC hour (Intl), then every call of that hour is plain arithmetic. Same answer as
 * `localClock` (rating/localClock.ts) wherever offsets change on an hour boundary (every zone of
 * today's tz database); free days are Saturday and Sunday.
 */
export class ZoneClock {
  private readonly offsets = new Map<string, Map<number, number>>();

  /** `ms` (epoch) on the wall clock of a user whose stored zone is `userZone`: day type and HH:MM:SS. */
  at(ms: number, userZone: string): { dayType: 'WD' | 'FD'; time: string } {
    const zone = ianaZone(userZone);
    const local = new Date(ms + this.offset(zone, Math.floor(ms / 3_600_000)));
    const day = local.getUTCDay();
    const two = (n: number) => (n < 10 ? `0${n}` : String(n));
    return {
      dayType: day === 0 || day === 6 ? 'FD' : 'WD',
      time: `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`,
    };
  }

  private offset(zone: string, hour: number): number {
    if (zone === 'Etc/UTC' || zone === 'UTC') return 0;
    let byHour = this.offsets.get(zone);
    if (!byHour) {
      byHour = new Map();
      this.offsets.set(zone, byHour);
    }
    let offset = byHour.get(hour);
    if (offset === undefined) {
      offset = zoneOffsetMs(hour * 3_600_000, zone);
      byHour.set(hour, offset);
    }
    return offset;
  }
}
