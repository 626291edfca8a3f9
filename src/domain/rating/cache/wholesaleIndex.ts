import { DAYTYPE_RANK, type RateBand } from '../rateOutcome.ts';
import { PrefixMap } from './prefixMap.ts';

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
}

/**
 * A wholesale tariff held in memory, column-wise so a million rates cost about a hundred bytes each:
 * `byPrefix` (a PrefixMap) maps a prefix to its newest rate; `next` chains older rates of the same prefix (effective
 * date descending, "always" last); each rate owns `bandCount` consecutive bands from `bandFirst`.
 * Strings that repeat (names, prices, times) are shared.
 */
export class WholesaleIndex {
  private readonly byPrefix = new PrefixMap();
  private rates = 0;
  private readonly next: number[] = [];
  private readonly eff: number[] = [];
  /** Each rate's prefix while loading; released by `finish` (a lookup knows the prefix it matched). */
  private prefix: string[] = [];
  private readonly name: string[] = [];
  private readonly bandFirst: number[] = [];
  private readonly bandCount: number[] = [];
  private readonly bandDaytype: ('' | 'WD' | 'FD')[] = [];
  private readonly bandStart: string[] = [];
  private readonly bandEnd: string[] = [];
  private readonly bandPrice: string[] = [];
  private readonly strings = new Map<string, string>();
  private lastId = -1;

  get size(): number {
    return this.rates;
  }

  /** Adds loader rows (ordered by rate id, then band id). */
  add(rows: readonly WholesaleRow[]): void {
    for (const row of rows) {
      if (row.id !== this.lastId) this.addRate(row);
      if (row.band_id !== null) this.addBand(row);
    }
  }

  /** Sorts bands into output order and links rates of one prefix by effective date; call once, at the end. */
  finish(): void {
    for (let slot = 0; slot < this.rates; slot++) {
      if (this.bandCount[slot]! > 1) this.sortBands(slot);
    }
    const slots = new Map<string, number[]>();
    for (let slot = 0; slot < this.rates; slot++) {
      const list = slots.get(this.prefix[slot]!);
      if (list) list.push(slot);
      else slots.set(this.prefix[slot]!, [slot]);
    }
    for (const [prefix, list] of slots) {
      list.sort((a, b) => this.eff[b]! - this.eff[a]!);
      for (let i = 0; i < list.length; i++) this.next[list[i]!] = list[i + 1] ?? -1;
      this.byPrefix.set(prefix, list[0]!);
    }
    this.byPrefix.build();
    this.prefix = [];
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

  private bandsOf(slot: number, prefix: string): RateBand[] {
    const out: RateBand[] = [];
    const first = this.bandFirst[slot]!;
    for (let b = first; b < first + this.bandCount[slot]!; b++) {
      out.push({
        price: this.bandPrice[b]!,
        name: this.name[slot]!,
        prefix,
        daytype: this.bandDaytype[b]!,
        startTime: this.bandStart[b]!,
        endTime: this.bandEnd[b]!,
        from: 1,
        artype: 'minute',
      });
    }
    return out;
  }

  private addRate(row: WholesaleRow): void {
    this.lastId = row.id;
    this.rates++;
    this.prefix.push(row.prefix);
    this.eff.push(row.eff ?? Number.NEGATIVE_INFINITY);
    this.name.push(this.shared(row.name));
    this.next.push(-1);
    this.bandFirst.push(this.bandPrice.length);
    this.bandCount.push(0);
  }

  private addBand(row: WholesaleRow): void {
    this.bandDaytype.push(row.daytype ?? '');
    this.bandStart.push(this.shared(row.start_time ?? '00:00:00'));
    this.bandEnd.push(this.shared(row.end_time ?? '23:59:59'));
    this.bandPrice.push(this.shared(row.price ?? '0'));
    this.bandCount[this.rates - 1]!++;
  }

  private sortBands(slot: number): void {
    const first = this.bandFirst[slot]!;
    const order = Array.from({ length: this.bandCount[slot]! }, (_, i) => first + i);
    // Loader order is band id order, so a stable sort keeps ids as the last key.
    order.sort(
      (a, b) =>
        DAYTYPE_RANK[this.bandDaytype[a]!]! - DAYTYPE_RANK[this.bandDaytype[b]!]! ||
        compare(this.bandStart[a]!, this.bandStart[b]!),
    );
    const columns = [this.bandDaytype, this.bandStart, this.bandEnd, this.bandPrice] as unknown[][];
    for (const column of columns) {
      const values = order.map((i) => column[i]);
      for (let i = 0; i < values.length; i++) column[first + i] = values[i];
    }
  }

  private shared(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size < 100_000) this.strings.set(s, s);
    return s;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
