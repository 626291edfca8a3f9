import type { Db, DbHandle } from '../../../db/types.ts';
import type { CopyRows } from './copyText.ts';
import { BATCH, type IdWindow, loadDestinationPage, type TariffMeta, wholesaleCopy } from './loaders.ts';
import { DestinationIndex } from './retailIndex.ts';
import { WholesaleBuilder } from './wholesaleBuild.ts';
import type { WholesaleIndex } from './wholesaleIndex.ts';

/** The bulk read a wholesale load needs (DbHandle's). */
export type CopyPort = Pick<DbHandle, 'copyOut' | 'copyStreams'>;

/**
 * Ids per COPY on PGlite: its one connection serves nothing else while a COPY runs, so a large
 * tariff is read in id windows and lookups (answered by SQL meanwhile) get in between.
 */
export const PGLITE_WINDOW = 50_000;

/**
 * A wholesale tariff's prefix map, read as COPY text straight into typed arrays: its rates, their
 * bands and their destinations' names, three plain scans. On Postgres they stream at once, each on its
 * own connection, and are indexed as they arrive; on PGlite they are read one id window at a time.
 */
export async function loadWholesaleIndex(copy: CopyPort, tariffId: number, meta: TariffMeta): Promise<WholesaleIndex> {
  const builder = new WholesaleBuilder(meta);
  if (meta.minId === null || meta.maxId === null) return builder.finish();
  const rates = { from: meta.minId - 1, to: meta.maxId };
  const destinations: IdWindow | null =
    meta.minDestinationId === null || meta.maxDestinationId === null
      ? null
      : builder.dense.destinations
        ? { from: meta.minDestinationId - 1, to: meta.maxDestinationId }
        : 'tariff';
  const reads: [CopyRows, string[]][] = [
    [builder.rates, windows(copy, rates).map((w) => wholesaleCopy.rates(tariffId, w))],
    [
      builder.bands,
      (builder.dense.rates ? windows(copy, rates) : ['tariff' as const]).map((w) => wholesaleCopy.bands(tariffId, w)),
    ],
    [
      builder.destinations,
      (destinations === null ? [] : destinations === 'tariff' ? ['tariff' as const] : windows(copy, destinations)).map(
        (w) => wholesaleCopy.destinations(tariffId, w),
      ),
    ],
  ];
  const read = async ([rows, selects]: [CopyRows, string[]]) => {
    for (const select of selects) await copy.copyOut(select, (bytes) => rows.push(bytes));
  };
  if (copy.copyStreams) await Promise.all(reads.map(read));
  else for (const r of reads) await read(r);
  return builder.finish();
}

/** One window for Postgres (it streams); PGLITE_WINDOW-sized ones for PGlite. */
function windows(copy: CopyPort, range: { from: number; to: number }): { from: number; to: number }[] {
  if (copy.copyStreams) return [range];
  const out: { from: number; to: number }[] = [];
  for (let from = range.from; from < range.to; from += PGLITE_WINDOW) {
    out.push({ from, to: Math.min(from + PGLITE_WINDOW, range.to) });
  }
  return out;
}

/** Every destination (retail lookups), in keyset pages. */
export async function loadDestinationIndex(db: Db): Promise<DestinationIndex> {
  const index = new DestinationIndex();
  for (let after = 0; ; ) {
    const page = await loadDestinationPage(db, after);
    index.add(page);
    if (page.length < BATCH) break;
    after = page.at(-1)!.id;
  }
  index.finish();
  return index;
}
