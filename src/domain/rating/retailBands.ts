/**
 * Pure rules of tariff_retail_import (spec Behaviour 4): validating bands as sent, laying them out
 * into windows (RD1 + RD2 + … of Advanced Rates) and finding time collisions.
 */

/** One `<rates>` element as sent (missing children are undefined). */
export interface RawBand {
  rate_price?: string;
  rate_round_by?: string;
  rate_duration?: string;
  rate_type?: string;
  rate_start_time?: string;
  rate_end_time?: string;
  day_type?: string;
}

export interface Band {
  price: string;
  round: number;
  duration: number;
  artype: 'minute' | 'event';
  from: number;
  startTime: string;
  endTime: string;
  daytype: '' | 'WD' | 'FD';
}

/** Bands sharing day type and time range: one time window of a group's rate. */
export interface Window {
  daytype: '' | 'WD' | 'FD';
  startTime: string;
  endTime: string;
  bands: Band[];
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const PRICE = /^\d{1,14}(\.\d{1,10})?$/;
const INT = /^-?\d{1,9}$/;

/** A band with its values checked (no `from` yet), or null when any value is invalid. */
export function parseBand(raw: RawBand): Omit<Band, 'from'> | null {
  const startTime = raw.rate_start_time || '00:00:00';
  const endTime = raw.rate_end_time || '23:59:59';
  const daytype = raw.day_type ?? '';
  const round = raw.rate_round_by === undefined || raw.rate_round_by === '' ? '1' : raw.rate_round_by;
  const { rate_price: price = '', rate_duration: duration = '', rate_type: artype } = raw;
  if (!PRICE.test(price) || !INT.test(round) || +round < 1 || !INT.test(duration)) return null;
  if (+duration !== -1 && +duration < 1) return null;
  if (artype !== 'minute' && artype !== 'event') return null;
  if (!TIME.test(startTime) || !TIME.test(endTime) || startTime > endTime) return null;
  if (daytype !== '' && daytype !== 'WD' && daytype !== 'FD') return null;
  return { price, round: +round, duration: +duration, artype, startTime, endTime, daytype };
}

/**
 * Groups valid bands into windows in document order and assigns `from`: minute bands follow each other,
 * an event band is charged where the previous minute band ended, a minute band of duration -1 closes
 * the window. Bands after the close are returned as `late` (invalid).
 */
export function layOut(bands: Omit<Band, 'from'>[]): { windows: Window[]; late: number[] } {
  const windows = new Map<string, Window & { position: number; closed: boolean }>();
  const late: number[] = [];
  bands.forEach((b, i) => {
    const key = `${b.daytype}|${b.startTime}|${b.endTime}`;
    let w = windows.get(key);
    if (!w) {
      w = { daytype: b.daytype, startTime: b.startTime, endTime: b.endTime, bands: [], position: 1, closed: false };
      windows.set(key, w);
    }
    if (w.closed) {
      late.push(i);
      return;
    }
    w.bands.push({ ...b, from: w.position });
    if (b.artype === 'minute') {
      if (b.duration === -1) w.closed = true;
      else w.position += b.duration;
    }
  });
  return { windows: [...windows.values()].map(({ position: _p, closed: _c, ...w }) => w), late };
}

type Span = Pick<Window, 'daytype' | 'startTime' | 'endTime'>;

export const sameSpan = (a: Span, b: Span) =>
  a.daytype === b.daytype && a.startTime === b.startTime && a.endTime === b.endTime;
const overlaps = (a: Span, b: Span) => a.startTime <= b.endTime && b.startTime <= a.endTime;

/** Two windows of one day type whose time ranges overlap without being identical. */
export const collides = (a: Span, b: Span) => a.daytype === b.daytype && overlaps(a, b) && !sameSpan(a, b);

/** Against stored windows also: all-days mixed with work/free days. */
export const collidesStored = (incoming: Span, stored: Span) =>
  collides(incoming, stored) || (incoming.daytype === '') !== (stored.daytype === '');

/** `<group>: <day type or ALL> <start>-<end> overlaps <day type or ALL> <start>-<end>`. */
export const collisionText = (group: string, a: Span, b: Span) => {
  const span = (s: Span) => `${s.daytype || 'ALL'} ${s.startTime}-${s.endTime}`;
  return `${group}: ${span(a)} overlaps ${span(b)}`;
};
