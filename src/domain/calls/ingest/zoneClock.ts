import { ianaZone } from '../../settings/timeZones.ts';

/**
 * The wall clock of many calls in a few time zones, fast: a zone's UTC offset is looked up once per
 * zone and UTC hour (Intl), then every call of that hour is plain arithmetic. Same answer as
 * `localClock` (rating/localClock.ts) wherever offsets change on an hour boundary (every zone of
 * today's tz database); free days are Saturday and Sunday.
 */
export class ZoneClock {
  private readonly offsets = new Map<string, Map<number, number>>();
  private readonly formats = new Map<string, Intl.DateTimeFormat>();

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
      const start = hour * 3_600_000;
      const parts = this.format(zone).formatToParts(new Date(start));
      const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
      const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
      offset = wall - start;
      byHour.set(hour, offset);
    }
    return offset;
  }

  private format(zone: string): Intl.DateTimeFormat {
    let format = this.formats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
      this.formats.set(zone, format);
    }
    return format;
  }
}
