import type { CallRow } from './history.ts';

/**
 * A call history's pages rendered and encoded to bytes a page at a time: the pieces of a page
 * (history.ts, PIECE_CALLS calls each) are parsed, rendered and let go in one synchronous run, and what
 * waits for the client is bytes outside the JavaScript heap. Rendered one piece per socket drain, the
 * rest of a page would wait tens of milliseconds as JavaScript strings, long enough for the young
 * generation to collect twice and promote them to the old one, which only a full collection empties.
 */
export async function* encodedPages(
  pages: AsyncIterable<Iterable<CallRow[]>>,
  render: (calls: CallRow[]) => string,
): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const page of pages) {
    const bytes: Uint8Array[] = [];
    for (const calls of page) if (calls.length > 0) bytes.push(encoder.encode(render(calls)));
    for (let piece = bytes.shift(); piece !== undefined; piece = bytes.shift()) yield piece;
  }
}
