/** Longest prefix held as numbers: 15 digits always fit a double exactly (< 2^53). */
const NUMERIC_DIGITS = 15;
const EMPTY = -1;

/**
 * Digit-string prefix → slot, built once, probed millions of times. A prefix of up to 15 digits is
 * stored as its number in an open-addressing table of its length (a Float64Array of keys beside an
 * Int32Array of slots, linear probing): a probe costs about one cache miss and no string is hashed or
 * compared, about twice as fast as a Map<string> of a million prefixes. Longer prefixes (rare) use a Map.
 */
export class PrefixMap {
  private pending: { prefix: string; slot: number }[] = [];
  private count = 0;
  private tables: (Table | undefined)[] = [];
  private readonly long = new Map<string, number>();
  /** Prefix lengths present, longest first. */
  lengths: number[] = [];
  /** Scratch: numeric value of the first i+1 digits of the number being looked up. */
  private readonly values = new Float64Array(NUMERIC_DIGITS);

  get size(): number {
    return this.count;
  }

  /** Bytes the built map retains (typed arrays; long prefixes as Map entries of about 80 bytes). */
  get bytes(): number {
    let total = this.long.size * 80;
    for (const table of this.tables) total += table?.bytes ?? 0;
    return total;
  }

  /** Adds a prefix (digits only); a later set of the same prefix wins. Call `build` before `get`. */
  set(prefix: string, slot: number): void {
    this.pending.push({ prefix, slot });
  }

  build(): void {
    const counts: number[] = [];
    for (const { prefix } of this.pending) counts[prefix.length] = (counts[prefix.length] ?? 0) + 1;
    this.tables = counts.map((count, length) => (count && length <= NUMERIC_DIGITS ? new Table(count) : undefined));
    for (const { prefix, slot } of this.pending) {
      const table = this.tables[prefix.length];
      if (table) table.set(Number(prefix), slot);
      else this.long.set(prefix, slot);
    }
    this.lengths = counts.flatMap((count, length) => (count ? [length] : [])).sort((a, b) => b - a);
    this.count = this.pending.length;
    this.pending = [];
  }

  /**
   * Builds from numeric keys instead of strings (the wholesale loader parses prefixes straight from
   * bytes): slot i has `lengths[i]` digits (0 = not stored) valued `values[i]`, or, past 15 digits, the
   * string `long.get(i)`. A prefix met again keeps its first slot and reports `repeat(first, slot)`.
   */
  buildKeys(
    count: number,
    lengths: Uint8Array,
    values: Float64Array,
    long: ReadonlyMap<number, string>,
    repeat: (first: number, slot: number) => void,
  ): void {
    const counts: number[] = [];
    for (let slot = 0; slot < count; slot++) counts[lengths[slot]!] = (counts[lengths[slot]!] ?? 0) + 1;
    counts[0] = 0;
    this.tables = counts.map((n, length) => (n && length <= NUMERIC_DIGITS ? new Table(n) : undefined));
    let stored = 0;
    for (let slot = 0; slot < count; slot++) {
      const length = lengths[slot]!;
      if (length === 0) continue;
      let first: number;
      if (length <= NUMERIC_DIGITS) first = this.tables[length]!.insert(values[slot]!, slot);
      else {
        const prefix = long.get(slot)!;
        first = this.long.get(prefix) ?? EMPTY;
        if (first === EMPTY) this.long.set(prefix, slot);
      }
      if (first === EMPTY) stored++;
      else repeat(first, slot);
    }
    this.lengths = counts.flatMap((n, length) => (n ? [length] : [])).sort((a, b) => b - a);
    this.count = stored;
  }

  /** Points a prefix stored by `buildKeys` at another slot. */
  repoint(length: number, value: number, long: string | undefined, slot: number): void {
    if (length <= NUMERIC_DIGITS) this.tables[length]!.set(value, slot);
    else this.long.set(long!, slot);
  }

  /**
   * Calls `visit(slot, length)` for each stored prefix of `digits` (every length with `full`, else only
   * the whole of `digits`), longest first, until it returns true; returns that slot, else -1.
   */
  find(digits: string, full: boolean, visit: (slot: number, length: number) => boolean): number {
    const known = Math.min(digits.length, NUMERIC_DIGITS);
    let value = 0;
    for (let i = 0; i < known; i++) {
      value = value * 10 + (digits.charCodeAt(i) - 48);
      this.values[i] = value;
    }
    for (const n of this.lengths) {
      if (n > digits.length || (!full && n < digits.length)) continue;
      const slot =
        n <= NUMERIC_DIGITS
          ? this.tables[n]!.get(this.values[n - 1]!)
          : (this.long.get(n === digits.length ? digits : digits.slice(0, n)) ?? EMPTY);
      if (slot !== EMPTY && visit(slot, n)) return slot;
    }
    return EMPTY;
  }
}

/** Open addressing over one prefix length: keys are the prefixes' numbers, EMPTY marks a free cell. */
class Table {
  private readonly keys: Float64Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(count: number) {
    let capacity = 8;
    while (capacity < count * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get bytes(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  set(key: number, slot: number): void {
    let i = this.cell(key);
    while (this.keys[i] !== EMPTY && this.keys[i] !== key) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.slots[i] = slot;
  }

  /** Stores `slot` under `key` unless the key is there: returns the slot already stored, else EMPTY. */
  insert(key: number, slot: number): number {
    let i = this.cell(key);
    for (; this.keys[i] !== EMPTY; i = (i + 1) & this.mask) if (this.keys[i] === key) return this.slots[i]!;
    this.keys[i] = key;
    this.slots[i] = slot;
    return EMPTY;
  }

  get(key: number): number {
    for (let i = this.cell(key); ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === key) return this.slots[i]!;
      if (k === EMPTY) return EMPTY;
    }
  }

  private cell(key: number): number {
    const low = key >>> 0;
    const high = (key / 4294967296) >>> 0;
    let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    return h & this.mask;
  }
}
