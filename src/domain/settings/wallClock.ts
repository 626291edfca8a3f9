/**
 * A moment on an IANA zone's wall clock, through one cached Intl formatter per zone. Rating, ingest,
 * call history, CSV import and balance warnings all read the same parts.
 */
export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** `Mon` … `Sun`. */
  weekday: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  return format;
}

/** `at` on the wall clock of the IANA `zone`. */
export function wallParts(at: Date, zone: string): WallParts {
  const out: WallParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: '' };
  for (const { type, value } of formatOf(zone).formatToParts(at)) {
    if (type === 'weekday') out.weekday = value;
    else if (type in out) (out as unknown as Record<string, number>)[type] = Number(value);
  }
  return out;
}

/** How far the zone's wall clock is ahead of UTC at `ms`, in milliseconds (whole seconds). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const p = wallParts(new Date(ms), zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}
