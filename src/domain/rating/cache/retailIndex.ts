import { windowOrder } from '../rateOutcome.ts';
import { PrefixMap } from './prefixMap.ts';

/** A retail or custom band as the loaders read it (aratedetails / acustratedetails). */
export interface RetailBandRow {
  group_id: number;
  id: number;
  daytype: '' | 'WD' | 'FD';
  start_time: string;
  end_time: string;
  from: number;
  artype: 'minute' | 'event';
  price: string;
}

export type RetailBand = Omit<RetailBandRow, 'group_id'>;

/** Bands per destination group, in output order: a retail tariff's rates, or one user's custom rates. */
export type BandsByGroup = Map<number, RetailBand[]>;

export function bandsByGroup(rows: readonly RetailBandRow[]): BandsByGroup {
  const groups: BandsByGroup = new Map();
  for (const { group_id, ...band } of rows) {
    const list = groups.get(group_id);
    if (list) list.push(band);
    else groups.set(group_id, [band]);
  }
  for (const list of groups.values()) {
    list.sort(
      (a, b) => windowOrder(a.daytype, a.start_time, b.daytype, b.start_time) || a.from - b.from || a.id - b.id,
    );
  }
  return groups;
}

/** A destination as retail lookups need it. */
export interface DestinationRow {
  id: number;
  prefix: string;
  name: string;
  group_id: number;
}

/** Every destination by prefix (the retail side of _rating-model §6: longest destination wins). */
export class DestinationIndex {
  private readonly rows: DestinationRow[] = [];
  private readonly byPrefix = new PrefixMap();

  get size(): number {
    return this.rows.length;
  }

  add(rows: readonly DestinationRow[]): void {
    for (const row of rows) {
      this.byPrefix.set(row.prefix, this.rows.length);
      this.rows.push(row);
    }
  }

  /** Call once, after the last `add`. */
  finish(): void {
    this.byPrefix.build();
  }

  /** The destination with the longest prefix of `digits` (`full`) or exactly `digits`. */
  find(digits: string, full: boolean): DestinationRow | null {
    const slot = this.byPrefix.find(digits, full, () => true);
    return slot < 0 ? null : this.rows[slot]!;
  }
}
