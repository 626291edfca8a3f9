import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { zoneOffsetMs } from '../settings/wallClock.ts';

/** A period of calls: inclusive bounds (ISO 8601, UTC) and the same printed in `zone`. */
export interface CallPeriod {
  from: string;
  till: string;
  /** `YYYY-MM-DD HH:MM:SS` in `zone`. */
  fromLocal: string;
  tillLocal: string;
  zone: string;
}

/**
 * The period of a calls request: `from`/`till` (ISO) as given; an absent bound is today's in `zone`
 * (00:00:00 and 23:59:59), as MOR defaults its call periods.
 */
export async function callPeriod(
  db: Db,
  zone: string,
  now: Date,
  from: string | undefined,
  till: string | undefined,
): Promise<CallPeriod> {
  const [row] = await queryRows<{ from: string; till: string; from_local: string; till_local: string }>(
    db,
    sql`with day as (select date_trunc('day', ${now.toISOString()}::timestamptz at time zone ${zone}::text) as d),
      b as (select coalesce(${from ?? null}::timestamptz, (select d from day) at time zone ${zone}::text) as f,
        coalesce(${till ?? null}::timestamptz,
          ((select d from day) + interval '1 day' - interval '1 second') at time zone ${zone}::text) as t)
      select to_char(f at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as from,
        to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as till,
        to_char(f at time zone ${zone}::text, 'YYYY-MM-DD HH24:MI:SS') as from_local,
        to_char(t at time zone ${zone}::text, 'YYYY-MM-DD HH24:MI:SS') as till_local
      from b`,
  );
  return { from: row!.from, till: row!.till, fromLocal: row!.from_local, tillLocal: row!.till_local, zone };
}

/** `GMT +HHMM` for an offset east of UTC in seconds (MOR's rendering of a call's time zone). */
export function gmtOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  return `GMT ${sign}${hh}${mm}`;
}

/** SQL: the offset east of UTC (seconds) of `zone` at timestamptz expression `at`. */
export const offsetSql = (at: ReturnType<typeof sql>, zone: string) =>
  sql`extract(epoch from (${at} at time zone ${zone}::text) - (${at} at time zone 'UTC'))::int`;

/**
 * Renders instants in one IANA zone as `YYYY-MM-DD HH:MM:SS` plus MOR's `GMT +HHMM`, computing the
 * zone's offset once per hour of time (a large history formats a million dates without asking the
 * database to convert each one).
 */
export class ZoneClock {
  private readonly offsets = new Map<number, number>();
  constructor(readonly zone: string) {}

  /** Offset east of UTC in seconds at `ms`. */
  offset(ms: number): number {
    const hour = Math.floor(ms / 3_600_000);
    let seconds = this.offsets.get(hour);
    if (seconds === undefined) {
      seconds = Math.round(zoneOffsetMs(hour * 3_600_000, this.zone) / 1000);
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(hour, seconds);
    }
    return seconds;
  }

  /** `YYYY-MM-DD HH:MM:SS` local time of `ms` (whole seconds, truncated). */
  local(ms: number): string {
    const at = Math.floor(ms / 1000) * 1000 + this.offset(ms) * 1000;
    return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
  }
}
