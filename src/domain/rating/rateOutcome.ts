import type { LookupRow } from './lookupQuery.ts';

/** One time band of the rate a lookup chose, with the destination it is printed under. */
export interface RateBand {
  price: string;
  name: string;
  prefix: string;
  daytype: '' | 'WD' | 'FD';
  startTime: string;
  endTime: string;
  from: number;
  artype: 'minute' | 'event';
}

/**
 * What a rate lookup found, whichever source answered (the SQL statement of lookupQuery or the
 * in-process rate index): the target user's state, its time zone, and the chosen rate's bands in
 * output order (day type '' / WD / FD, start time, interval start, band id).
 */
export interface RateOutcome {
  state: 'no_user' | 'hidden' | 'ok';
  timeZone: string;
  bands: RateBand[];
}

/** The rows of lookupQuery as an outcome. */
export function outcomeOfRows(rows: readonly LookupRow[]): RateOutcome {
  const first = rows[0];
  return {
    state: first?.state ?? 'no_user',
    timeZone: first?.time_zone ?? '',
    bands: rows
      .filter((r) => r.price !== null)
      .map((r) => ({
        price: r.price!,
        name: r.name ?? '',
        prefix: r.prefix ?? '',
        daytype: r.daytype ?? '',
        startTime: r.start_time ?? '00:00:00',
        endTime: r.end_time ?? '23:59:59',
        from: r.from ?? 1,
        artype: r.artype ?? 'minute',
      })),
  };
}

const DAYTYPE_RANK: Readonly<Record<string, number>> = { '': 0, WD: 1, FD: 2 };

/**
 * Output order of two bands' windows, as the ORDER BY of lookupQuery: day type ('' WD FD), then start
 * time (Postgres time text, whose string order is time order). Callers break ties themselves.
 */
export const windowOrder = (daytypeA: string, startA: string, daytypeB: string, startB: string): number =>
  DAYTYPE_RANK[daytypeA]! - DAYTYPE_RANK[daytypeB]! || (startA < startB ? -1 : startA > startB ? 1 : 0);
