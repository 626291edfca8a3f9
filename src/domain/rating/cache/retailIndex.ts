import { windowOrder } from '../rateOutcome.ts';
import { PrefixMap } from './prefixMap.ts';
import { StringTable } from './stringTable.ts';

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
  private readonly byPrefix = new PrefixMap();
  private readonly names = new StringTable();
  private count = 0;
  private building: { name: number[]; group: number[] } | null = { name: [], group: [] };
  private name = new Int32Array(0);
  private group = new Int32Array(0);

  get size(): number {
    return this.count;
  }

  /** Bytes retained once finished: prefix tables, a name id and a group id per destination, names once. */
  get bytes(): number {
    return this.byPrefix.bytes + this.name.byteLength + this.group.byteLength + this.names.bytes;
  }

  add(rows: readonly DestinationRow[]): void {
    const b = this.building!;
    for (const row of rows) {
      this.byPrefix.set(row.prefix, this.count++);
      b.name.push(this.names.id(row.name));
      b.group.push(row.group_id);
    }
  }

  /** Call once, after the last `add`. */
  finish(): void {
    const b = this.building!;
    this.building = null;
    this.name = Int32Array.from(b.name);
    this.group = Int32Array.from(b.group);
    this.byPrefix.build();
    this.names.seal();
  }

  /** The destination with the longest prefix of `digits` (`full`) or exactly `digits`. */
  find(digits: string, full: boolean): Omit<DestinationRow, 'id'> | null {
    let length = 0;
    const slot = this.byPrefix.find(digits, full, (_, n) => {
      length = n;
      return true;
    });
    if (slot < 0) return null;
    return { prefix: digits.slice(0, length), name: this.names.get(this.name[slot]!), group_id: this.group[slot]! };
  }
}
