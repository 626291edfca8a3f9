import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { useTestApp } from '../helpers/app.ts';
import { insertCalls } from '../helpers/calls.ts';
import { createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();

const KEY = `date_trunc('hour', calldate at time zone 'UTC') at time zone 'UTC' as bucket, user_id,
  coalesce(reseller_id, 0) as reseller_id, coalesce(src_device_id, 0) as src_device_id,
  coalesce(provider_id, 0) as provider_id, coalesce(destination_id, 0) as destination_id, prefix, disposition`;

/** The rollups (empty groups dropped) and the same figures aggregated straight from calls. */
async function both() {
  const direct = await queryRows<Record<string, unknown>>(
    api.handle.db,
    sql.raw(`select ${KEY}, count(*)::text as calls, sum(billsec)::text as billsec,
      coalesce(sum(real_billsec), 0)::numeric(30,6)::text as real_billsec, sum(user_price)::numeric(30,6)::text as user_price,
      sum(reseller_price)::numeric(30,6)::text as reseller_price, sum(provider_price)::numeric(30,6)::text as provider_price
      from calls group by 1, 2, 3, 4, 5, 6, 7, 8 order by 1, 2, 3, 4, 5, 6, 7, 8`),
  );
  const rolled = await queryRows<Record<string, unknown>>(
    api.handle.db,
    sql.raw(`select bucket, user_id, reseller_id, src_device_id, provider_id, destination_id, prefix, disposition,
      calls::text, billsec::text, real_billsec::numeric(30,6)::text as real_billsec,
      user_price::numeric(30,6)::text as user_price, reseller_price::numeric(30,6)::text as reseller_price,
      provider_price::numeric(30,6)::text as provider_price
      from call_rollups where calls <> 0 order by 1, 2, 3, 4, 5, 6, 7, 8`),
  );
  return { direct, rolled };
}

const pick = <T>(items: readonly T[], r: () => number) => items[Math.floor(r() * items.length)]!;

describe('call rollups', () => {
  it('stay exactly equal to an aggregate over calls after random inserts, updates and deletes', async () => {
    const h = api.handle;
    const reseller = await createReseller(h);
    const users = [await createUser(h), await createUser(h), await createUser(h, { ownerId: reseller.id })];
    let seed = 42;
    const r = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 6; round++) {
      const batch = Array.from({ length: 40 + Math.floor(r() * 200) }, () => {
        const user = pick(users, r);
        const answered = r() < 0.7;
        return {
          userId: user.id,
          resellerId: user.ownerId === 0 ? null : user.ownerId,
          calldate: new Date(
            Date.UTC(
              2024,
              1 + Math.floor(r() * 2),
              1 + Math.floor(r() * 28),
              Math.floor(r() * 24),
              Math.floor(r() * 60),
            ),
          ),
          disposition: answered ? ('ANSWERED' as const) : pick(['NO ANSWER', 'BUSY', 'FAILED'] as const, r),
          billsec: answered ? Math.floor(r() * 600) : 0,
          realBillsec: answered ? (r() * 600).toFixed(3) : null,
          srcDeviceId: r() < 0.5 ? null : 1 + Math.floor(r() * 3),
          providerId: r() < 0.3 ? null : 1 + Math.floor(r() * 2),
          destinationId: r() < 0.2 ? null : 1 + Math.floor(r() * 4),
          prefix: pick(['370', '3706', '44', ''], r),
          userPrice: answered ? (r() * 3).toFixed(6) : '0',
          resellerPrice: answered ? (r() * 2).toFixed(6) : '0',
          providerPrice: answered ? (r() * 1).toFixed(6) : '0',
        };
      });
      await insertCalls(h, batch);
      // Re-rate a random slice, move some calls to another hour and user, delete another slice.
      await h.db.execute(sql`update calls set user_price = user_price * 2 + 0.000001, billsec = billsec + 1
        where id % 7 = ${round}`);
      await h.db.execute(sql`update calls set calldate = calldate + interval '90 minutes', user_id = ${users[0]!.id}
        where id % 11 = ${round}`);
      await h.db.execute(sql`delete from calls where id % 13 = ${round}`);
      const { direct, rolled } = await both();
      expect(rolled).toEqual(direct);
    }
    const [{ n }] = (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from calls`)) as [
      { n: number },
    ];
    expect(n).toBeGreaterThan(300);
  });

  it('hold under concurrent writers', async () => {
    const h = api.handle;
    const user = await createUser(h);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        insertCalls(
          h,
          Array.from({ length: 50 }, (_, j) => ({
            userId: user.id,
            calldate: `2024-02-10T1${j % 3}:00:00Z`,
            billsec: i + j,
            userPrice: '0.1',
          })),
        ),
      ),
    );
    const { direct, rolled } = await both();
    expect(rolled).toEqual(direct);
  });
});
