import { DAYTYPE_RANK, type RateBand } from '../rateOutcome.ts';

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
 * `byPrefix` maps a prefix to its newest rate; `next` chains older rates of the same prefix (effective
 * date descending, "always" last); each rate owns `bandCount` consecutive bands from `bandFirst`.
 * Strings that repeat (names, prices, times) are shared.
 */
export class WholesaleIndex {
  readonly byPrefix = new Map<string, number>();
  private readonly next: number[] = [];
  private readonly eff: number[] = [];
  private readonly prefix: string[] = [];
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
    return this.prefix.length;
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
    for (let slot = 0; slot < this.size; slot++) {
      if (this.bandCount[slot]! > 1) this.sortBands(slot);
    }
    const slots = new Map<string, number[]>();
    for (let slot = 0; slot < this.size; slot++) {
      const list = slots.get(this.prefix[slot]!);
      if (list) list.push(slot);
      else slots.set(this.prefix[slot]!, [slot]);
    }
    for (const [prefix, list] of slots) {
      list.sort((a, b) => this.eff[b]! - this.eff[a]!);
      for (let i = 0; i < list.length; i++) this.next[list[i]!] = list[i + 1] ?? -1;
      this.byPrefix.set(prefix, list[0]!);
    }
  }

  /**
   * The bands of the effective rate with the longest prefix of `digits` (`full`), or with exactly
   * `digits`; null when no rate matches. A matching rate without bands answers an empty list.
   */
  find(digits: string, full: boolean, atMs: number): RateBand[] | null {
    for (let n = digits.length; n >= (full ? 1 : digits.length); n--) {
      let slot = this.byPrefix.get(n === digits.length ? digits : digits.slice(0, n)) ?? -1;
      while (slot >= 0) {
        if (this.eff[slot]! <= atMs) return this.bandsOf(slot);
        slot = this.next[slot]!;
      }
    }
    return null;
  }

  private bandsOf(slot: number): RateBand[] {
    const out: RateBand[] = [];
    const first = this.bandFirst[slot]!;
    for (let b = first; b < first + this.bandCount[slot]!; b++) {
      out.push({
        price: this.bandPrice[b]!,
        name: this.name[slot]!,
        prefix: this.prefix[slot]!,
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
    this.bandCount[this.size - 1]!++;
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
