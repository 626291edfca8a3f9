import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import type { DbHandle } from '../../src/db/types.ts';
import { CopyRows, copyTextDecoder } from '../../src/domain/rating/cache/copyText.ts';
import { loadWholesaleIndex } from '../../src/domain/rating/cache/indexLoads.ts';
import { loadTariffMeta } from '../../src/domain/rating/cache/loaders.ts';
import { freshDatabase } from '../helpers/db.ts';
import { createTariff, createWholesaleRate } from '../helpers/factories.ts';

/*
 * The rate index reads wholesale tariffs as COPY text (DbHandle.copyOut) and parses the bytes itself:
 * names with every character COPY escapes, rows cut anywhere between chunks, and tariffs whose rate ids
 * are sparse (interleaved with another tariff's) or whose rates share one window in several bands.
 */

let handle: DbHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(async () => {
  await handle.close();
});

const AWKWARD = ['tab\there', 'back\\slash \\N', 'new\nline\r', 'Čekija Mobilė ☎️ 𝄞', '', '\\x41\\101', 'bell\b\f\v'];

/** The COPY text of `select`, fed to CopyRows in chunks of `size` bytes; fields decoded. */
async function copyRows(select: string, fields: number, size: number): Promise<string[][]> {
  const parts: Uint8Array[] = [];
  await handle.copyOut(select, (bytes) => parts.push(bytes.slice()));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const rows: string[][] = [];
  const reader = new CopyRows(fields, (bytes, start, ends) => {
    const row: string[] = [];
    for (let i = 0; i < fields; i++) row.push(copyTextDecoder(bytes, i ? ends[i - 1]! + 1 : start, ends[i]!));
    rows.push(row);
  });
  for (let from = 0; from < all.length; from += size) reader.push(all.subarray(from, from + size));
  reader.end();
  return rows;
}

describe('COPY text read by the rate index', () => {
  it('decodes every escaped character and UTF-8 like a query does, whatever the chunk size', async () => {
    const select = `select n, s from unnest(array[${AWKWARD.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]::text[]) with ordinality as x(s, n)`;
    const expected = (await queryRows<{ n: string; s: string }>(handle.db, sql.raw(select))).map((r) => [
      String(r.n),
      r.s,
    ]);
    expect(expected.map((r) => r[1])).toEqual(AWKWARD);
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      expect(await copyRows(select, 2, size), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('refuses a row with the wrong number of fields and text cut inside a row', () => {
    const rows = new CopyRows(2, () => {});
    expect(() => rows.push(new TextEncoder().encode('1\t2\t3\n'))).toThrow(/3 fields/);
    const cut = new CopyRows(2, () => {});
    cut.push(new TextEncoder().encode('1\t2\n3'));
    expect(() => cut.end()).toThrow(/inside a row/);
  });

  it('loads a tariff whose ids are interleaved with another: only its rates, its names, bands in output order', async () => {
    const mine = await createTariff(handle);
    const other = await createTariff(handle);
    const names = new Map<string, string>();
    // Interleave: ids of `mine` are sparse, so the load takes the semi-join path for bands and destinations.
    for (let i = 0; i < 30; i++) {
      const prefix = `77${String(i).padStart(2, '0')}`;
      const name = AWKWARD[i % AWKWARD.length]! + i;
      names.set(prefix, name);
      await createWholesaleRate(handle, mine.id, {
        prefix,
        name,
        price: '0.5',
        bands: [
          { price: `0.${i}3`, daytype: 'FD' },
          { price: `0.${i}2`, daytype: 'WD', startTime: '08:00:00', endTime: '17:59:59' },
          { price: `0.${i}1`, daytype: 'WD', startTime: '08:00:00', endTime: '17:59:59' },
        ],
      });
      for (let k = 0; k < 5; k++) await createWholesaleRate(handle, other.id, { prefix: `78${i}${k}`, price: '9' });
    }
    const meta = (await loadTariffMeta(handle.db, mine.id))!;
    const index = await loadWholesaleIndex(handle, mine.id, meta);
    expect(index.size).toBe(30);
    for (const [prefix, name] of names) {
      const i = String(Number(prefix.slice(2)));
      const bands = index.find(`${prefix}555`, true, Date.now())!;
      expect(bands.map((b) => [b.name, b.daytype, b.startTime, b.price])).toEqual([
        [name, 'WD', '08:00:00', `0.${i}2`], // same window: band id order
        [name, 'WD', '08:00:00', `0.${i}1`],
        [name, 'FD', '00:00:00', `0.${i}3`],
      ]);
    }
    expect(index.find('7800', true, Date.now())).toBeNull();
  });

  it('loads a tariff whose rate and destination ids are far apart (a Map and semi-joins instead of id ranges)', async () => {
    const mine = await createTariff(handle);
    const other = await createTariff(handle);
    await createWholesaleRate(handle, mine.id, { prefix: '3901', name: 'First', price: '0.1' });
    await handle.exec(`insert into destinations (prefix, name, direction_code, subcode, destinationgroup_id)
        select '39' || g, 'Far ' || g, '', '', 0 from generate_series(100000, 108000) g;
      insert into rates (tariff_id, prefix, destination_id)
        select ${other.id}, prefix, id from destinations where name like 'Far %';`);
    await createWholesaleRate(handle, mine.id, { prefix: '3902', name: 'Second', price: '0.2' });
    const meta = (await loadTariffMeta(handle.db, mine.id))!;
    expect(meta.maxId! - meta.minId!).toBeGreaterThan(4 * 1024);
    const index = await loadWholesaleIndex(handle, mine.id, meta);
    expect(index.size).toBe(2);
    expect(index.find('39011', true, Date.now())!.map((b) => [b.name, b.price])).toEqual([['First', '0.1']]);
    expect(index.find('39021', true, Date.now())!.map((b) => [b.name, b.price])).toEqual([['Second', '0.2']]);
    expect(index.find('39100000', true, Date.now())).toBeNull();
  });

  it('keeps the newest effective rate of a prefix and older ones behind it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 4 }),
        async (hours) => {
          const tariff = await createTariff(handle);
          const now = Date.now();
          for (const h of hours) {
            await createWholesaleRate(handle, tariff.id, {
              prefix: '4410',
              price: String(h + 10),
              effectiveFrom: new Date(now + h * 3_600_000),
            });
          }
          await createWholesaleRate(handle, tariff.id, { prefix: '441', price: '1', effectiveFrom: null });
          const index = await loadWholesaleIndex(handle, tariff.id, (await loadTariffMeta(handle.db, tariff.id))!);
          const effective = hours.filter((h) => h <= 0);
          const expected = effective.length ? String(Math.max(...effective) + 10) : '1';
          expect(index.find('44101', true, now)![0]!.price).toBe(expected);
        },
      ),
      { numRuns: 15 },
    );
  });
});
