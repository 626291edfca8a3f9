import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { useTestApp } from '../helpers/app.ts';
import { createTariff } from '../helpers/factories.ts';

const api = useTestApp();

/** The trigger-kept counters and the same counts straight from rates and destinations. */
async function both() {
  const q = (text: string) => queryRows<Record<string, unknown>>(api.handle.db, sql.raw(text));
  return {
    rates: await q('select tariff_id, length, rates::int from rate_prefix_lengths order by 1, 2'),
    ratesDirect: await q(`select tariff_id, length(prefix) as length, count(*)::int as rates from rates
      where prefix is not null group by 1, 2 order by 1, 2`),
    destinations: await q('select length, destinations::int from destination_prefix_lengths order by 1'),
    destinationsDirect: await q(`select length(prefix) as length, count(*)::int as destinations from destinations
      group by 1 order by 1`),
  };
}

describe('prefix lengths (rate_prefix_lengths, destination_prefix_lengths)', () => {
  it('stay exactly equal to counts over rates and destinations after random writes of every kind', async () => {
    const db = api.handle.db;
    const tariffs = [(await createTariff(api.handle)).id, (await createTariff(api.handle)).id];
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const prefix = () => String(1 + Math.floor(random() * 10 ** (1 + Math.floor(random() * 8))));
    // Which rows a statement touches and the digit it appends: from the seeded generator, so every run
    // makes the same writes.
    const mult = () => 1 + Math.floor(random() * 1000);
    const pick = () => String(Math.floor(random() * 10));
    for (let round = 0; round < 40; round++) {
      const op = Math.floor(random() * 7);
      const tariff = tariffs[Math.floor(random() * 2)]!;
      if (op === 0 || op === 1) {
        // Several rows in one statement, some retail (no prefix); a taken prefix is skipped.
        const values = Array.from({ length: 1 + Math.floor(random() * 20) }, () => (random() < 0.2 ? null : prefix()));
        await db.execute(sql`insert into rates (tariff_id, prefix, destinationgroup_id)
          select ${tariff}::int, p, case when p is null then ${round}::int * 1000 + n::int end
          from unnest(${`{${values.map((v) => v ?? 'NULL').join(',')}}`}::text[]) with ordinality as t(p, n)
          on conflict do nothing`);
      } else if (op === 2) {
        // A longer prefix (never one the tariff already has: it is unique per tariff).
        await db.execute(sql`update rates r set prefix = r.prefix || ${pick()}::text where r.id in
          (select id from rates where prefix is not null order by (id * ${mult()}::int) % 1009, id limit 5)
          and not exists (select 1 from rates o where o.tariff_id = r.tariff_id and o.prefix like r.prefix || '_%')`);
      } else if (op === 3) {
        await db.execute(sql`update rates r set tariff_id = ${tariff}::int where r.id in
          (select id from rates where prefix is not null order by (id * ${mult()}::int) % 1009, id limit 3)
          and not exists (select 1 from rates o where o.tariff_id = ${tariff}::int and o.prefix = r.prefix)`);
      } else if (op === 4) {
        await db.execute(
          sql`delete from rates where id in (select id from rates order by (id * ${mult()}::int) % 1009, id limit 6)`,
        );
      } else if (op === 5) {
        const values = Array.from({ length: 1 + Math.floor(random() * 15) }, prefix);
        await db.execute(sql`insert into destinations (prefix, name, direction_code, subcode, destinationgroup_id)
          select p, 'D ' || p, '', '', 0 from unnest(${`{${values.join(',')}}`}::text[]) p on conflict do nothing`);
      } else {
        await db.execute(sql`update destinations d set prefix = d.prefix || ${pick()}::text where d.id in
          (select id from destinations order by (id * ${mult()}::int) % 1009, id limit 4)
          and not exists (select 1 from destinations o where o.prefix like d.prefix || '_%')`);
        await db.execute(sql`delete from destinations d where d.id in
          (select id from destinations order by (id * ${mult()}::int) % 1009, id limit 3)
          and not exists (select 1 from rates r where r.destination_id = d.id)`);
      }
      const now = await both();
      expect(now.rates).toEqual(now.ratesDirect);
      expect(now.destinations).toEqual(now.destinationsDirect);
    }
    const end = await both();
    expect(end.ratesDirect.length).toBeGreaterThan(3);
    expect(end.destinationsDirect.length).toBeGreaterThan(3);
    await db.execute(sql`truncate rates cascade`);
    expect((await both()).rates).toEqual([]);
  });
});
