import * as v from 'valibot';

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const CalendarDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'Date must be YYYY-MM-DD'),
  v.check((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'Date does not exist'),
);

/** The longest period one generation covers (a year, leap day included). */
export const MAX_PERIOD_DAYS = 366;

/** An invoice period: calendar dates in the system time zone, both days included. */
export const InvoicePeriod = v.pipe(
  v.object({ periodStart: CalendarDate, periodEnd: CalendarDate }),
  v.check((p) => p.periodStart <= p.periodEnd, 'periodEnd must not be before periodStart'),
  v.check((p) => daysBetween(p.periodStart, p.periodEnd) < MAX_PERIOD_DAYS, 'A period covers at most 366 days'),
);

const daysBetween = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/** The calendar month `YYYY-MM` as a period (first and last day). */
export function monthPeriod(month: string): { periodStart: string; periodEnd: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { periodStart: `${month}-01`, periodEnd: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}
