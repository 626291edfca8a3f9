/**
 * Database id → small integer, for ids that mostly lie in a known range (a tariff's rates, written
 * together, have near-consecutive ids): an Int32Array over the range when it is dense, a Map otherwise.
 * Transient: used while a load runs. -1 = none.
 */
export class IdSlots {
  private readonly base: number;
  private readonly array: Int32Array | null;
  private readonly map: Map<number, number> | null;

  constructor(min: number | null, max: number | null, count: number) {
    const range = min === null || max === null ? 0 : max - min + 1;
    this.base = min ?? 0;
    const dense = range > 0 && range <= 4 * Math.max(count, 1024);
    this.array = dense ? new Int32Array(range).fill(-1) : null;
    this.map = dense ? null : new Map();
  }

  /** Whether the ids are dense enough to be read as a range (else they are read by a semi-join). */
  get dense(): boolean {
    return this.array !== null;
  }

  get(id: number): number {
    if (this.map) return this.map.get(id) ?? -1;
    const i = id - this.base;
    return i >= 0 && i < this.array!.length ? this.array![i]! : -1;
  }

  set(id: number, value: number): void {
    if (this.map) this.map.set(id, value);
    else {
      const i = id - this.base;
      if (i < 0 || i >= this.array!.length) throw new Error('rate index: an id outside the range read'); // written since
      this.array![i] = value;
    }
  }
}
