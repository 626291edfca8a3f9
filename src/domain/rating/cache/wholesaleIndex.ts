import { type RateBand, windowOrder } from '../rateOutcome.ts';
import type { ByteStrings } from './byteStrings.ts';
import type { PrefixMap } from './prefixMap.ts';

/**
 * A band's time window and billing terms (connection fee, increment ≥ 1, minimal time: provider rating
 * reads them); a tariff has only a handful of distinct ones, stored once.
 */
export interface Window {
  daytype: '' | 'WD' | 'FD';
  startTime: string;
  endTime: string;
  fee: string;
  inc: number;
  minTime: number;
}

/** The band of a wholesale rate in effect at one moment, with its billing terms (routing, authorize). */
export interface TermsBand {
  prefix: string;
  price: string;
  connectionFee: string;
  increment: number;
  minTime: number;
}

/** What `WholesaleBuilder.finish` hands over: packed columns, one entry per rate or per band. */
export interface WholesaleColumns {
  rates: number;
  byPrefix: PrefixMap;
  eff: Float64Array;
  next: Int32Array;
  bandFirst: Int32Array;
  bandCount: Uint16Array;
  name: Int32Array;
  bandWindow: Int32Array;
  bandPrice: Int32Array;
  windows: Window[];
  names: ByteStrings;
  prices: ByteStrings;
}

/**
 * A wholesale tariff held in memory, column-wise in typed arrays (about 55 bytes a rate with its
 * destination name, see `bytes`): `byPrefix` (a PrefixMap) maps a prefix to its newest rate; `next`
 * chains older rates of the same prefix (effective date descending, "always" last); each rate owns
 * `bandCount` consecutive bands from `bandFirst`, each band a window id and a price id. Destination
 * names and prices are interned: a rate keeps 4-byte ids, never its own strings. Built by
 * `WholesaleBuilder` (wholesaleBuild.ts).
 */
export class WholesaleIndex {
  constructor(private readonly c: WholesaleColumns) {}

  get size(): number {
    return this.c.rates;
  }

  /** Bytes this index retains (typed arrays, prefix tables, interned strings). */
  get bytes(): number {
    const c = this.c;
    const arrays = [c.eff, c.next, c.bandFirst, c.bandCount, c.name, c.bandWindow, c.bandPrice];
    return (
      arrays.reduce((n, a) => n + a.byteLength, 0) +
      c.byPrefix.bytes +
      c.names.bytes +
      c.prices.bytes +
      c.windows.length * 100 +
      200
    );
  }

  /**
   * The bands of the effective rate with the longest prefix of `digits` (`full`), or with exactly
   * `digits`; null when no rate matches. A matching rate without bands answers an empty list.
   */
  find(digits: string, full: boolean, atMs: number): RateBand[] | null {
    const { eff, next } = this.c;
    let found = -1;
    let length = 0;
    this.c.byPrefix.find(digits, full, (head, n) => {
      for (let slot = head; slot >= 0; slot = next[slot]!) {
        if (eff[slot]! <= atMs) {
          found = slot;
          length = n;
          return true;
        }
      }
      return false;
    });
    return found < 0 ? null : this.bandsOf(found, digits.slice(0, length));
  }

  /**
   * The band in effect on a wall clock (`dayType`, `time` as `HH:MM:SS`) of the effective rate with the
   * longest prefix of `digits`: a work/free-day band before an all-days one, then the earliest start
   * (the provider-rate statement's choice). Null when no rate matches or no band of it is in effect.
   */
  bandAt(digits: string, atMs: number, dayType: 'WD' | 'FD', time: string): TermsBand | null {
    const c = this.c;
    let found = -1;
    let length = 0;
    c.byPrefix.find(digits, true, (head, n) => {
      for (let slot = head; slot >= 0; slot = c.next[slot]!) {
        if (c.eff[slot]! <= atMs) {
          found = slot;
          length = n;
          return true;
        }
      }
      return false;
    });
    if (found < 0) return null;
    let chosen = -1;
    const first = c.bandFirst[found]!;
    for (let band = first; band < first + c.bandCount[found]!; band++) {
      const w = c.windows[c.bandWindow[band]!]!;
      if (w.startTime > time || time > w.endTime) continue;
      if (w.daytype === dayType) {
        chosen = band;
        break;
      }
      if (w.daytype === '' && chosen < 0) chosen = band;
    }
    if (chosen < 0) return null;
    const w = c.windows[c.bandWindow[chosen]!]!;
    return {
      prefix: digits.slice(0, length),
      price: c.prices.get(c.bandPrice[chosen]!),
      connectionFee: w.fee,
      increment: w.inc,
      minTime: w.minTime,
    };
  }

  private bandsOf(slot: number, prefix: string): RateBand[] {
    const c = this.c;
    const out: RateBand[] = [];
    const first = c.bandFirst[slot]!;
    const name = c.names.get(c.name[slot]!);
    for (let band = first; band < first + c.bandCount[slot]!; band++) {
      const w = c.windows[c.bandWindow[band]!]!;
      out.push({
        price: c.prices.get(c.bandPrice[band]!),
        name,
        prefix,
        daytype: w.daytype,
        startTime: w.startTime,
        endTime: w.endTime,
        from: 1,
        artype: 'minute',
      });
    }
    return out;
  }
}

/** Output order of one rate's bands: day type ('' WD FD), then start time, then band id. */
export function sortBands(
  windows: readonly Window[],
  bandWindow: Int32Array,
  bandPrice: Int32Array,
  bandId: Int32Array,
  first: number,
  count: number,
): void {
  const order = Array.from({ length: count }, (_, i) => first + i);
  order.sort((x, y) => {
    const a = windows[bandWindow[x]!]!;
    const b = windows[bandWindow[y]!]!;
    return windowOrder(a.daytype, a.startTime, b.daytype, b.startTime) || bandId[x]! - bandId[y]!;
  });
  const ws = order.map((i) => bandWindow[i]!);
  const ps = order.map((i) => bandPrice[i]!);
  for (let i = 0; i < count; i++) {
    bandWindow[first + i] = ws[i]!;
    bandPrice[first + i] = ps[i]!;
  }
}
