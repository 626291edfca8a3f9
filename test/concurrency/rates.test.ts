import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { race } from './race.ts';

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
