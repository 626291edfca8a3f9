/**
 * Interned strings keyed by their bytes: the loader meets a million destination names and prices as
 * byte ranges of a COPY stream, and only a few hundred or thousand are distinct. `intern` hashes and
 * compares the bytes where they lie and decodes a string only the first time it meets it, so a repeated
 * name costs no allocation at all. `seal` drops the byte keys once loading is done; the strings stay.
 */
export class ByteStrings {
  private readonly list: string[] = [];
  private chars = 0;
  private keys: {
    table: Int32Array;
    hashes: number[];
    starts: number[];
    pool: Uint8Array;
    used: number;
  } | null = { table: new Int32Array(64).fill(-1), hashes: [], starts: [0], pool: new Uint8Array(4096), used: 0 };

  constructor(private readonly decode: (bytes: Uint8Array, start: number, end: number) => string) {}

  /** The id of the string whose bytes are `bytes[start, end)`, decoding and adding it when new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const k = this.keys!;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const mask = k.table.length - 1;
    for (let cell = hash & mask; ; cell = (cell + 1) & mask) {
      const id = k.table[cell]!;
      if (id < 0) {
        k.table[cell] = this.add(bytes, start, end, hash);
        if (this.list.length * 2 > k.table.length) this.grow();
        return this.list.length - 1;
      }
      if (k.hashes[id] === hash && this.same(id, bytes, start, end)) return id;
    }
  }

  get(id: number): string {
    return this.list[id]!;
  }

  get size(): number {
    return this.list.length;
  }

  /** Stops interning (frees the byte keys). */
  seal(): void {
    this.keys = null;
  }

  /** Bytes retained once sealed: V8 one-byte strings (~20 B header, padded) plus an 8-byte slot each. */
  get bytes(): number {
    return this.list.length * 32 + this.chars;
  }

  private same(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const k = this.keys!;
    const from = k.starts[id]!;
    if (k.starts[id + 1]! - from !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (k.pool[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const k = this.keys!;
    const length = end - start;
    if (k.used + length > k.pool.length) {
      const pool = new Uint8Array(Math.max(k.pool.length * 2, k.used + length));
      pool.set(k.pool.subarray(0, k.used));
      k.pool = pool;
    }
    k.pool.set(bytes.subarray(start, end), k.used);
    k.used += length;
    k.starts.push(k.used);
    k.hashes.push(hash);
    const text = this.decode(bytes, start, end);
    this.chars += text.length;
    return this.list.push(text) - 1;
  }

  private grow(): void {
    const k = this.keys!;
    const table = new Int32Array(k.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.list.length; id++) {
      let cell = k.hashes[id]! & mask;
      while (table[cell] !== -1) cell = (cell + 1) & mask;
      table[cell] = id;
    }
    k.table = table;
  }
}
