const utf8 = new TextDecoder();
const BACKSLASH = 92;
const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * One field of Postgres's COPY text format as a string: UTF-8, with its backslash escapes undone
 * (`\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\ooo`, hex `\xhh`; any other escaped character
 * stands for itself).
 */
export function copyTextDecoder(bytes: Uint8Array, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    if (bytes[i] === BACKSLASH) {
      plain = false;
      break;
    }
  }
  if (plain) return utf8.decode(bytes.subarray(start, end));
  // Escapes are ASCII: undo them on bytes (octal/hex escapes may spell UTF-8 bytes), then decode.
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b !== BACKSLASH || i + 1 === end) {
      out[n++] = b;
      continue;
    }
    const c = String.fromCharCode(bytes[++i]!);
    if (c >= '0' && c <= '7') {
      let value = 0;
      let k = 0;
      for (; k < 3 && i < end && bytes[i]! >= 48 && bytes[i]! <= 55; k++, i++) value = value * 8 + bytes[i]! - 48;
      i--;
      out[n++] = value & 0xff;
    } else if (c === 'x' && i + 1 < end && isHex(bytes[i + 1]!)) {
      let value = 0;
      for (let k = 0; k < 2 && i + 1 < end && isHex(bytes[i + 1]!); k++)
        value = value * 16 + parseInt(String.fromCharCode(bytes[++i]!), 16);
      out[n++] = value;
    } else out[n++] = (ESCAPES[c] ?? c).charCodeAt(0);
  }
  return utf8.decode(out.subarray(0, n));
}

const isHex = (b: number) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);

const TAB = 9;
const NEWLINE = 10;

/**
 * Splits COPY text fed in chunks cut anywhere into rows of `fields` fields and calls `row(bytes,
 * start, ends)` for each, where field i lies in `bytes[i ? ends[i - 1] + 1 : start, ends[i])`. Field
 * bytes are never tabs or newlines (COPY escapes them), so no field is decoded to find them. `ends` is
 * reused: read it before returning.
 */
export class CopyRows {
  private carry: Uint8Array | null = null;
  private readonly ends: Int32Array;

  constructor(
    private readonly fields: number,
    private readonly row: (bytes: Uint8Array, start: number, ends: Int32Array) => void,
  ) {
    this.ends = new Int32Array(fields);
  }

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = null;
    }
    const ends = this.ends;
    let start = 0;
    let field = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === TAB) {
        if (field < this.fields - 1) ends[field] = i;
        field++;
      } else if (b === NEWLINE) {
        if (field !== this.fields - 1) throw new Error(`COPY row of ${field + 1} fields, expected ${this.fields}`);
        ends[field] = i;
        this.row(bytes, start, ends);
        start = i + 1;
        field = 0;
      }
    }
    if (start < bytes.length) this.carry = bytes.slice(start);
  }

  /** Checks that the text ended with a whole row. */
  end(): void {
    if (this.carry) throw new Error('COPY text ended inside a row');
  }
}

/** Whether a field is SQL NULL (`\N`). */
export function isNull(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 2 && bytes[start] === BACKSLASH && bytes[start + 1] === 78;
}

/** A non-negative integer field. */
export function readInt(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (bytes[i]! - 48);
  return value;
}
