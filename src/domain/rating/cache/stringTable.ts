/**
 * Interned strings by small integer id: a tariff of a million rates names a few hundred or thousand
 * destinations and uses a few hundred distinct prices, so each rate keeps a 4-byte id instead of a
 * pointer to its own copy. `seal` drops the lookup map once loading is done.
 */
export class StringTable {
  private readonly list: string[] = [];
  private ids: Map<string, number> | null = new Map();
  private chars = 0;

  /** The id of `s`, adding it when new. */
  id(s: string): number {
    const ids = this.ids!;
    let id = ids.get(s);
    if (id === undefined) {
      id = this.list.push(s) - 1;
      ids.set(s, id);
      this.chars += s.length;
    }
    return id;
  }

  get(id: number): string {
    return this.list[id]!;
  }

  get size(): number {
    return this.list.length;
  }

  /** Stops interning (frees the map). */
  seal(): void {
    this.ids = null;
  }

  /** Bytes retained once sealed: V8 one-byte strings (~20 B header, padded) plus an 8-byte slot each. */
  get bytes(): number {
    return this.list.length * 32 + this.chars;
  }
}
