import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { race, untilAnotherSessionLocks } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

// writeRates adds destinations in statements of 10,000 rows, and each holds the destination prefix-length
// counters until commit. Two imports into different tariffs sharing new prefixes in opposite orders:
// the second added the destinations the first's next batch needed, then waited for the counters, and
// Postgres ended one import with a deadlock (an internal error) in 3 of 3 runs before the destination
// writers' lock. One round suffices (batches this large always overlap) and keeps the test short on PGlite.
describe('rates under concurrency', () => {
  it('upserts two large rate lists sharing new destinations, in opposite orders, into two tariffs at once', async () => {
    const rounds = 1;
    const size = 20_500;
    for (let round = 0; round < rounds; round++) {
      const a = await admin().tariffs.create.mutate({ name: `a-${round}`, purpose: 'provider' });
      const b = await admin().tariffs.create.mutate({ name: `b-${round}`, purpose: 'provider' });
      const rates = Array.from({ length: size }, (_, n) => ({
        prefix: `9${round}${String(n).padStart(6, '0')}`,
        price: '0.1',
      }));
      const outcomes = await race(2, (i) =>
        admin().rates.upsertMany.mutate({
          tariffId: i === 0 ? a.id : b.id,
          rates: i === 0 ? rates : [...rates].reverse(),
        }),
      );
      expect(outcomes).toEqual(['ok', 'ok']);
      const [n] = await queryRows<{ rates: number; destinations: number }>(
        api.handle.db,
        sql`select (select count(*)::int from rates where tariff_id in (${a.id}, ${b.id})) as rates,
          (select count(*)::int from destinations where prefix like ${`9${round}%`}) as destinations`,
      );
      expect(n).toEqual({ rates: 2 * size, destinations: size });
    }
  });
});

describe('rates: upsert and delete of one tariff at once', () => {
  it('a delete issued while an upsert of the tariff is writing waits for it, then deletes what it wrote', async () => {
    // 12,000 rates: the upsert writes them in two statements (writeRates' batches of 10,000), in
    // reverse order; the delete is issued once the upsert's transaction is writing. Before deleteRates
    // took the tariff row (as writeRates does) the delete went through on the rows the upsert had not
    // reached yet, and the upsert then wrote all 12,000 rates again: the operator's later delete was lost
    // (2 of 2 runs on Postgres).
    const size = 12_000;
    const t = await admin().tariffs.create.mutate({ name: 'upsert-vs-delete', purpose: 'provider' });
    const prefixes = Array.from({ length: size }, (_, n) => `8${String(n).padStart(6, '0')}`);
    await admin().rates.upsertMany.mutate({
      tariffId: t.id,
      rates: prefixes.map((prefix) => ({ prefix, price: '0.1' })),
    });
    let settled = false;
    const upsert = admin()
      .rates.upsertMany.mutate({
        tariffId: t.id,
        rates: [...prefixes].reverse().map((prefix) => ({ prefix, price: '0.2' })),
      })
      .then(
        () => 'ok',
        (e: Error) => e.message,
      )
      .finally(() => {
        settled = true;
      });
    // On Postgres: wait until another session writes rates (PGlite, one connection, answers only after).
    await untilAnotherSessionLocks(api.handle.db, 'ratedetails', () => settled, 'RowExclusiveLock');
    const deleted = await admin()
      .rates.delete.mutate({ tariffId: t.id, prefixes, ids: [] })
      .then(
        () => 'ok',
        (e: Error) => e.message,
      );
    expect([await upsert, deleted]).toEqual(['ok', 'ok']);
    const [n] = await queryRows<{ rates: number; new_bands: number; other_bands: number }>(
      api.handle.db,
      sql`select count(distinct r.id)::int as rates, count(*) filter (where b.rate = 0.2)::int as new_bands,
          count(*) filter (where b.rate <> 0.2)::int as other_bands
        from rates r join ratedetails b on b.rate_id = r.id where r.tariff_id = ${t.id}`,
    );
    // The delete waited for the upsert and took every rate.
    expect(n).toEqual({ rates: 0, new_bands: 0, other_bands: 0 });
  });
});
