import { type RateBand, windowOrder } from '../rateOutcome.ts';
import { PrefixMap } from './prefixMap.ts';
import { StringTable } from './stringTable.ts';

/** One row of the wholesale loader: a rate and one of its bands (band columns null when it has none). */
export interface WholesaleRow {
  id: number;
  prefix: string;
  /** effective_from in epoch milliseconds; null = always effective. */
  eff: number | null;
  name: string;
  band_id: number | null;
  daytype: '' | 'WD' | 'FD' | null;
  start_time: string | null;
  end_time: string | null;
  price: string | null;
  /** The band's connection fee, increment (≥ 1) and minimal time (provider rating reads them). */
  fee: string | null;
  inc: number | null;
  min_time: number | null;
}

/**
 * A band's time window and billing terms (connection fee, increment, minimal time); a tariff has only a
 * handful of distinct ones, stored once.
 */
interface Window {
  daytype: '' | 'WD' | 'FD';
  startTime: string;
  endTime: string;
  fee: string;
  inc: number;
  minTime: number;
}

/** The band of a wholesale rate in effect at one moment, with its billing terms (provider rating). */
export interface TermsBand {
  prefix: string;
  price: string;
  connectionFee: string;
  increment: number;
  minTime: number;
}

/**
 * A wholesale tariff held in memory, column-wise in typed arrays (about 50 bytes a rate with its
 * destination name, see `bytes`): `byPrefix` (a PrefixMap) maps a prefix to its newest rate; `next`
 * chains older rates of the same prefix (effective date descending, "always" last); each rate owns
 * `bandCount` consecutive bands from `bandFirst`, each band a window id and a price id. Destination
 * names and prices are interned (StringTable): a rate keeps 4-byte ids, never its own strings.
 * Filled by `add` (loader pages), then `finish` packs it; only then can it `find`.
 */
export class WholesaleIndex {
  private readonly byPrefix = new PrefixMap();
  private readonly windows: Window[] = [];
  private readonly windowIds = new Map<string, number>();
  private readonly names = new StringTable();
  private readonly prices = new StringTable();
  private lastId = -1;
  private building: {
    prefix: string[];
    eff: number[];
    bandCount: number[];
    name: number[];
    bandWindow: number[];
    bandPrice: number[];
  } | null = { prefix: [], eff: [], bandCount: [], name: [], bandWindow: [], bandPrice: [] };
  private eff = new Float64Array(0);
  private next = new Int32Array(0);
  private bandFirst = new Int32Array(0);
  private bandCount = new Uint16Array(0);
  private name = new Int32Array(0);
  private bandWindow = new Int32Array(0);
  private bandPrice = new Int32Array(0);
  private rates = 0;

  get size(): number {
    return this.rates;
  }

  /** Bytes this index retains once finished (typed arrays, prefix tables, interned strings). */
  get bytes(): number {
    const arrays = [this.eff, this.next, this.bandFirst, this.bandCount, this.name, this.bandWindow, this.bandPrice];
    return (
      arrays.reduce((n, a) => n + a.byteLength, 0) +
      this.byPrefix.bytes +
      this.names.bytes +
      this.prices.bytes +
      this.windows.length * 100 +
      200
    );
  }

  /** Adds loader rows (ordered by rate id, then band id). */
  add(rows: readonly WholesaleRow[]): void {
    const b = this.building!;
    for (const row of rows) {
      if (row.id !== this.lastId) {
        this.lastId = row.id;
        this.rates++;
        b.prefix.push(row.prefix);
        b.eff.push(row.eff ?? Number.NEGATIVE_INFINITY);
        b.bandCount.push(0);
        b.name.push(this.names.id(row.name));
      }
      if (row.band_id === null) continue;
      b.bandWindow.push(
        this.windowId(
          row.daytype ?? '',
          row.start_time ?? '00:00:00',
          row.end_time ?? '23:59:59',
          row.fee ?? '0',
          Math.max(row.inc ?? 1, 1),
          row.min_time ?? 0,
        ),
      );
      b.bandPrice.push(this.prices.id(row.price ?? '0'));
      b.bandCount[this.rates - 1]!++;
    }
  }

  /** Packs the columns, sorts bands into output order and links rates of one prefix by effective date. */
  finish(): void {
    const b = this.building!;
    this.building = null;
    this.eff = Float64Array.from(b.eff);
    this.bandCount = Uint16Array.from(b.bandCount);
    this.name = Int32Array.from(b.name);
    this.bandWindow = Int32Array.from(b.bandWindow);
    this.bandPrice = Int32Array.from(b.bandPrice);
    this.bandFirst = new Int32Array(this.rates);
    this.next = new Int32Array(this.rates).fill(-1);
    for (let slot = 0, first = 0; slot < this.rates; slot++) {
      this.bandFirst[slot] = first;
      first += this.bandCount[slot]!;
      if (this.bandCount[slot]! > 1) this.sortBands(slot);
    }
    // Usually one rate per prefix: only prefixes seen twice get a chain (effective date descending).
    const seen = new Map<string, number>();
    const chains = new Map<string, number[]>();
    for (let slot = 0; slot < this.rates; slot++) {
      const prefix = b.prefix[slot]!;
      const first = seen.get(prefix);
      if (first === undefined) seen.set(prefix, slot);
      else {
        const list = chains.get(prefix);
        if (list) list.push(slot);
        else chains.set(prefix, [first, slot]);
      }
    }
    for (const [prefix, list] of chains) {
      list.sort((x, y) => this.eff[y]! - this.eff[x]!);
      for (let i = 0; i < list.length - 1; i++) this.next[list[i]!] = list[i + 1]!;
      seen.set(prefix, list[0]!);
    }
    for (const [prefix, slot] of seen) this.byPrefix.set(prefix, slot);
    this.byPrefix.build();
    this.names.seal();
    this.prices.seal();
  }

  /**
   * The bands of the effective rate with the longest prefix of `digits` (`full`), or with exactly
   * `digits`; null when no rate matches. A matching rate without bands answers an empty list.
   */
  find(digits: string, full: boolean, atMs: number): RateBand[] | null {
    let found = -1;
    let length = 0;
    this.byPrefix.find(digits, full, (head, n) => {
      for (let slot = head; slot >= 0; slot = this.next[slot]!) {
        if (this.eff[slot]! <= atMs) {
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
    let found = -1;
    let length = 0;
    this.byPrefix.find(digits, true, (head, n) => {
      for (let slot = head; slot >= 0; slot = this.next[slot]!) {
        if (this.eff[slot]! <= atMs) {
          found = slot;
          length = n;
          return true;
        }
      }
      return false;
    });
    if (found < 0) return null;
    let chosen = -1;
    const first = this.bandFirst[found]!;
    for (let band = first; band < first + this.bandCount[found]!; band++) {
      const w = this.windows[this.bandWindow[band]!]!;
      if (w.startTime > time || time > w.endTime) continue;
      if (w.daytype === dayType) {
        chosen = band;
        break;
      }
      if (w.daytype === '' && chosen < 0) chosen = band;
    }
    if (chosen < 0) return null;
    const w = this.windows[this.bandWindow[chosen]!]!;
    return {
      prefix: digits.slice(0, length),
      price: this.prices.get(this.bandPrice[chosen]!),
      connectionFee: w.fee,
      increment: w.inc,
      minTime: w.minTime,
    };
  }

  private bandsOf(slot: number, prefix: string): RateBand[] {
    const out: RateBand[] = [];
    const first = this.bandFirst[slot]!;
    const name = this.names.get(this.name[slot]!);
    for (let band = first; band < first + this.bandCount[slot]!; band++) {
      const w = this.windows[this.bandWindow[band]!]!;
      out.push({
        price: this.prices.get(this.bandPrice[band]!),
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

  /** Output order: day type ('' WD FD), then start time; loader order (band id) breaks ties (stable sort). */
  private sortBands(slot: number): void {
    const first = this.bandFirst[slot]!;
    const order = Array.from({ length: this.bandCount[slot]! }, (_, i) => first + i);
    order.sort((x, y) => {
      const a = this.windows[this.bandWindow[x]!]!;
      const b = this.windows[this.bandWindow[y]!]!;
      return windowOrder(a.daytype, a.startTime, b.daytype, b.startTime);
    });
    const windows = order.map((i) => this.bandWindow[i]!);
    const prices = order.map((i) => this.bandPrice[i]!);
    for (let i = 0; i < order.length; i++) {
      this.bandWindow[first + i] = windows[i]!;
      this.bandPrice[first + i] = prices[i]!;
    }
  }

  private windowId(
    daytype: '' | 'WD' | 'FD',
    startTime: string,
    endTime: string,
    fee: string,
    inc: number,
    minTime: number,
  ): number {
    const key = `${daytype}|${startTime}|${endTime}|${fee}|${inc}|${minTime}`;
    let id = this.windowIds.get(key);
    if (id === undefined) {
      id = this.windows.push({ daytype, startTime, endTime, fee, inc, minTime }) - 1;
      this.windowIds.set(key, id);
    }
    return id;
  }
}
