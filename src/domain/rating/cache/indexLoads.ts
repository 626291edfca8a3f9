import type { Db } from '../../../db/types.ts';
import { BATCH, loadDestinationPage, loadWholesalePage, RATE_BATCH, type TariffMeta } from './loaders.ts';
import { DestinationIndex } from './retailIndex.ts';
import { WholesaleIndex } from './wholesaleIndex.ts';

/** A wholesale tariff's prefix map, read in id windows, one read ahead: Postgres reads window n+1 while this process indexes window n. */
export async function loadWholesaleIndex(db: Db, tariffId: number, meta: TariffMeta): Promise<WholesaleIndex> {
  const index = new WholesaleIndex();
  if (meta.minId !== null && meta.maxId !== null) {
    const first = meta.minId - 1;
    let next = loadWholesalePage(db, tariffId, first);
    for (let from = first; from < meta.maxId; from += RATE_BATCH) {
      const page = await next;
      if (from + RATE_BATCH < meta.maxId) next = loadWholesalePage(db, tariffId, from + RATE_BATCH);
      index.add(page);
    }
  }
  index.finish();
  return index;
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
