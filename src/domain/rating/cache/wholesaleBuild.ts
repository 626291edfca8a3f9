import { ByteStrings } from './byteStrings.ts';
import { CopyRows, copyTextDecoder, isNull, readInt } from './copyText.ts';
import { IdSlots } from './idSlots.ts';
import { PrefixMap } from './prefixMap.ts';
import { sortBands, WholesaleIndex, type Window } from './wholesaleIndex.ts';

const NUMERIC_DIGITS = 15;
const ZERO = new TextEncoder().encode('0');
const UTF8 = new TextDecoder();

/** What the builder needs to know before the rows come: the tariff's size and id ranges (its meta). */
export interface WholesaleExtent {
  size: number;
  minId: number | null;
  maxId: number | null;
  minDestinationId: number | null;
  maxDestinationId: number | null;
}

/**
 * Builds a WholesaleIndex from three COPY texts (loaders.ts), fed in any order and interleaved, each
 * in byte chunks cut anywhere: `rates` (rate id, prefix, effective ms, destination id), `bands` (rate
 * id, band id, price, daytype, start time, end time, connection fee, increment, minimal time) and `destinations` (id, name). Reading the three
 * tables apart costs Postgres three scans instead of two hash joins of a million rows, and no sort:
 * rows are joined here, by ids mapped through arrays over the tariff's id ranges (IdSlots). Nothing is
 * allocated per row: numbers are read from the bytes, prefixes become numbers, and names, prices and
 * windows are interned by their bytes (a string is decoded only the first time it is met). Columns are
 * typed arrays sized from the meta, so the load's transient memory stays close to what the index keeps.
 */
export class WholesaleBuilder {
  readonly rates: CopyRows;
  readonly bands: CopyRows;
  readonly destinations: CopyRows;
  private rateCount = 0;
  private bandCount = 0;
  private slotOfRate: IdSlots;
  private nameOfDestination: IdSlots;
  private readonly names = new ByteStrings(copyTextDecoder);
  private readonly prices = new ByteStrings(copyTextDecoder);
  /** Raw bytes of the three window fields: no escapes to undo (and `\N` must stay visible). */
  private readonly windowTexts = new ByteStrings((bytes, start, end) => UTF8.decode(bytes.subarray(start, end)));
  private readonly windows: Window[] = [];
  private readonly long = new Map<number, string>();
  private prefixLength: Uint8Array;
  private prefixValue: Float64Array;
  private eff: Float64Array;
  private destination: Int32Array;
  private bandRate: Int32Array;
  private bandId: Int32Array;
  private bandWindow: Int32Array;
  private bandPrice: Int32Array;

  constructor(extent: WholesaleExtent) {
    const n = Math.max(16, extent.size);
    this.slotOfRate = new IdSlots(extent.minId, extent.maxId, n);
    this.nameOfDestination = new IdSlots(extent.minDestinationId, extent.maxDestinationId, n);
    this.prefixLength = new Uint8Array(n);
    this.prefixValue = new Float64Array(n);
    this.eff = new Float64Array(n);
    this.destination = new Int32Array(n);
    this.bandRate = new Int32Array(n);
    this.bandId = new Int32Array(n);
    this.bandWindow = new Int32Array(n);
    this.bandPrice = new Int32Array(n);
    this.rates = new CopyRows(4, (bytes, start, ends) => this.rate(bytes, start, ends));
    this.bands = new CopyRows(9, (bytes, start, ends) => this.band(bytes, start, ends));
    this.destinations = new CopyRows(2, (bytes, start, ends) => {
      const id = readInt(bytes, start, ends[0]!);
      this.nameOfDestination.set(id, this.names.intern(bytes, ends[0]! + 1, ends[1]!));
    });
  }

  /** Whether rates, destinations can be read by id range (dense) rather than by a semi-join on the tariff. */
  get dense(): { rates: boolean; destinations: boolean } {
    return { rates: this.slotOfRate.dense, destinations: this.nameOfDestination.dense };
  }

  finish(): WholesaleIndex {
    this.rates.end();
    this.bands.end();
    this.destinations.end();
    const n = this.rateCount;
    const eff = this.eff.slice(0, n);
    const noName = this.names.intern(new Uint8Array(0), 0, 0);
    const name = new Int32Array(n);
    for (let slot = 0; slot < n; slot++) {
      const id = this.nameOfDestination.get(this.destination[slot]!);
      name[slot] = id < 0 ? noName : id;
    }
    // Bands arrive in any order: group them by slot (counting sort), then order each rate's few.
    const bandSlot = new Int32Array(this.bandCount);
    const bandCount = new Uint16Array(n);
    for (let band = 0; band < this.bandCount; band++) {
      const slot = this.slotOfRate.get(this.bandRate[band]!); // -1: another tariff's rate inside the id range
      bandSlot[band] = slot;
      if (slot >= 0) bandCount[slot]!++;
    }
    const bandFirst = new Int32Array(n);
    for (let slot = 1; slot < n; slot++) bandFirst[slot] = bandFirst[slot - 1]! + bandCount[slot - 1]!;
    const bands = n ? bandFirst[n - 1]! + bandCount[n - 1]! : 0;
    const bandWindow = new Int32Array(bands);
    const bandPrice = new Int32Array(bands);
    const bandId = new Int32Array(bands);
    const cursor = bandFirst.slice();
    for (let band = 0; band < this.bandCount; band++) {
      const slot = bandSlot[band]!;
      if (slot < 0) continue;
      const at = cursor[slot]!++;
      bandWindow[at] = this.bandWindow[band]!;
      bandPrice[at] = this.bandPrice[band]!;
      bandId[at] = this.bandId[band]!;
    }
    for (let slot = 0; slot < n; slot++) {
      if (bandCount[slot]! > 1)
        sortBands(this.windows, bandWindow, bandPrice, bandId, bandFirst[slot]!, bandCount[slot]!);
    }
    // Usually one rate per prefix: only prefixes met twice get a chain (effective date descending).
    const next = new Int32Array(n).fill(-1);
    const byPrefix = new PrefixMap();
    const chains = new Map<number, number[]>();
    byPrefix.buildKeys(n, this.prefixLength, this.prefixValue, this.long, (first, slot) => {
      const list = chains.get(first);
      if (list) list.push(slot);
      else chains.set(first, [first, slot]);
    });
    for (const [first, list] of chains) {
      list.sort((x, y) => eff[y]! - eff[x]!);
      for (let i = 0; i < list.length - 1; i++) next[list[i]!] = list[i + 1]!;
      byPrefix.repoint(this.prefixLength[first]!, this.prefixValue[first]!, this.long.get(first), list[0]!);
    }
    this.names.seal();
    this.prices.seal();
    this.release();
    return new WholesaleIndex({
      rates: n,
      byPrefix,
      eff,
      next,
      bandFirst,
      bandCount,
      name,
      bandWindow,
      bandPrice,
      windows: this.windows,
      names: this.names,
      prices: this.prices,
    });
  }

  /** Drops the load-time columns (about 45 B a rate), whoever still holds this builder (a stream's listener). */
  private release(): void {
    this.slotOfRate = this.nameOfDestination = new IdSlots(null, null, 0);
    this.prefixLength = new Uint8Array(0);
    this.prefixValue = this.eff = new Float64Array(0);
    this.destination = this.bandRate = this.bandId = this.bandWindow = this.bandPrice = new Int32Array(0);
    this.long.clear();
  }

  private rate(bytes: Uint8Array, start: number, ends: Int32Array): void {
    if (this.rateCount === this.eff.length) this.growRates();
    const slot = this.rateCount++;
    this.slotOfRate.set(readInt(bytes, start, ends[0]!), slot);
    this.prefix(slot, bytes, ends[0]! + 1, ends[1]!);
    this.eff[slot] = readEff(bytes, ends[1]! + 1, ends[2]!);
    this.destination[slot] = isNull(bytes, ends[2]! + 1, ends[3]!) ? -1 : readInt(bytes, ends[2]! + 1, ends[3]!);
  }

  private band(bytes: Uint8Array, start: number, ends: Int32Array): void {
    if (this.bandCount === this.bandRate.length) this.growBands();
    const band = this.bandCount++;
    this.bandRate[band] = readInt(bytes, start, ends[0]!);
    this.bandId[band] = readInt(bytes, ends[0]! + 1, ends[1]!);
    const price = ends[1]! + 1;
    this.bandPrice[band] = isNull(bytes, price, ends[2]!)
      ? this.prices.intern(ZERO, 0, 1)
      : this.prices.intern(bytes, price, ends[2]!);
    this.bandWindow[band] = this.window(bytes, ends[2]! + 1, ends[8]!);
  }

  /** A prefix of up to 15 digits is kept as its number; longer ones as strings; others never match a number (not stored). */
  private prefix(slot: number, bytes: Uint8Array, start: number, end: number): void {
    let value = 0;
    for (let i = start; i < end; i++) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) {
        this.prefixLength[slot] = 0;
        return;
      }
      value = value * 10 + d;
    }
    const length = end - start;
    if (length > NUMERIC_DIGITS) {
      this.long.set(slot, copyTextDecoder(bytes, start, end));
      this.prefixLength[slot] = length > 255 ? 0 : length; // longer than any number a lookup accepts
      return;
    }
    this.prefixLength[slot] = length;
    this.prefixValue[slot] = value;
  }

  /**
   * A band's window and terms: the bytes of its six fields `daytype\tstart\tend\tfee\tincrement\tmin`
   * (NULLs: '', whole day, no fee, increment 1, no minimal time).
   */
  private window(bytes: Uint8Array, start: number, end: number): number {
    const id = this.windowTexts.intern(bytes, start, end);
    if (id === this.windows.length) {
      const [daytype, startTime, endTime, fee, inc, minTime] = this.windowTexts.get(id).split('\t');
      const value = (field: string | undefined, none: string) =>
        field === undefined || field === '\\N' ? none : field;
      this.windows.push({
        daytype: value(daytype, '') as Window['daytype'],
        startTime: value(startTime, '00:00:00'),
        endTime: value(endTime, '23:59:59'),
        fee: value(fee, '0'),
        inc: Math.max(Number(value(inc, '1')), 1),
        minTime: Number(value(minTime, '0')),
      });
    }
    return id;
  }

  private growRates(): void {
    const n = this.eff.length * 2;
    this.prefixLength = grown(this.prefixLength, new Uint8Array(n));
    this.prefixValue = grown(this.prefixValue, new Float64Array(n));
    this.eff = grown(this.eff, new Float64Array(n));
    this.destination = grown(this.destination, new Int32Array(n));
  }

  private growBands(): void {
    const n = this.bandRate.length * 2;
    this.bandRate = grown(this.bandRate, new Int32Array(n));
    this.bandId = grown(this.bandId, new Int32Array(n));
    this.bandWindow = grown(this.bandWindow, new Int32Array(n));
    this.bandPrice = grown(this.bandPrice, new Int32Array(n));
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** Effective date in epoch ms (float8 text): \N = always effective; plain integers are read in place. */
function readEff(bytes: Uint8Array, start: number, end: number): number {
  if (isNull(bytes, start, end)) return Number.NEGATIVE_INFINITY;
  let negative = false;
  let i = start;
  if (bytes[i] === 45) {
    negative = true;
    i++;
  }
  let value = 0;
  for (; i < end; i++) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) return Number(copyTextDecoder(bytes, start, end)); // fraction, exponent, Infinity
    value = value * 10 + d;
  }
  return negative ? -value : value;
}
