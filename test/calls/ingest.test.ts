import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createCurrency,
  createDevice,
  createReseller,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

let user: { id: number; username: string };
let device: { id: number; username: string };
let reseller: { id: number; username: string };
let rUser: { id: number };
let rDevice: { id: number; username: string };

beforeAll(async () => {
  const w = await createTariff(api.handle, { name: 'W' });
  await createWholesaleRate(api.handle, w.id, {
    prefix: '44',
    name: 'UK',
    price: '0.06',
    connectionFee: '0.1',
    increment: 30,
    minTime: 60,
  });
  await createWholesaleRate(api.handle, w.id, { prefix: '447', name: 'UK mobile', price: '0.2' });
  user = await createUser(api.handle, { balance: '10' });
  await setUserTariff(api.handle, user.id, w.id);
  device = await createDevice(api.handle, user.id, { username: 'dev1001' });

  await createCurrency(api.handle, 'EUR', '0.5');
  const rt = await createTariff(api.handle, { name: 'RW', currency: 'EUR' });
  await createWholesaleRate(api.handle, rt.id, { prefix: '44', price: '0.03' });
  reseller = await createReseller(api.handle);
  await setUserTariff(api.handle, reseller.id, rt.id);
  const own = await createTariff(api.handle, { name: 'R-own', ownerId: reseller.id });
  await createWholesaleRate(api.handle, own.id, { prefix: '44', price: '0.12' });
  rUser = await createUser(api.handle, { ownerId: reseller.id });
  await setUserTariff(api.handle, rUser.id, own.id);
  rDevice = await createDevice(api.handle, rUser.id);
});

const call = (over: Record<string, unknown> = {}) => ({
  uniqueid: `u-${Math.random().toString(36).slice(2)}`,
  calldate: '2026-11-03T10:00:00Z',
  duration: 20,
  billsec: 15,
  disposition: 'ANSWERED',
  src: '1001',
  dst: '442079460000',
  deviceId: device.id,
  ...over,
});

const stored = (uniqueid: string) =>
  queryRows<Record<string, unknown>>(
    api.handle.db,
    sql`select user_id, reseller_id, rating_status, user_rate::text, user_billsec, user_price::text, reseller_rate::text,
      reseller_billsec, reseller_price::text, prefix, disposition, answer_time, end_time
      from calls where uniqueid = ${uniqueid}`,
  );

describe('calls.ingest', () => {
  it('rates and charges an answered call, once', async () => {
    const c = call();
    expect(await admin().calls.ingest.mutate({ calls: [c, c] })).toEqual({ inserted: 1, duplicates: 1, rejected: [] });
    expect(await stored(c.uniqueid)).toMatchObject([
      { rating_status: 'rated', user_rate: '0.060000', user_billsec: 60, user_price: '0.160000', prefix: '44' },
    ]);
    expect(await admin().calls.ingest.mutate({ calls: [c] })).toEqual({ inserted: 0, duplicates: 1, rejected: [] });
    const [u] = await queryRows<{ balance: string }>(
      api.handle.db,
      sql`select balance::text from users where id = ${user.id}`,
    );
    expect(u!.balance).toBe('9.840000');
  });

  it('prices a reseller user for the user and for the reseller', async () => {
    const c = call({ deviceId: undefined, accountcode: rDevice.username, billsec: 61, duration: 70 });
    expect(await admin().calls.ingest.mutate({ calls: [c] })).toEqual({ inserted: 1, duplicates: 0, rejected: [] });
    expect(await stored(c.uniqueid)).toMatchObject([
      {
        user_id: rUser.id,
        reseller_id: reseller.id,
        rating_status: 'rated',
        user_price: '0.122000',
        reseller_rate: '0.060000',
        reseller_billsec: 61,
        reseller_price: '0.061000',
      },
    ]);
    expect((await admin().ledger.reconcile.query()).differences).toEqual([]);
  });

  it('rejects bad rows by index and stores the good ones', async () => {
    const good = call({
      deviceId: undefined,
      channel: `SIP/${device.username}-0000000a`,
      disposition: 'NO ANSWER',
      billsec: 0,
    });
    const result = await admin().calls.ingest.mutate({
      calls: [{ ...call(), uniqueid: '' }, good, call({ deviceId: 999999 }), call({ billsec: 30, duration: 10 }), 'x'],
    });
    expect(result).toEqual({
      inserted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, reason: 'uniqueid is required (1-150 characters)' },
        { index: 2, reason: 'deviceId 999999: no such device' },
        { index: 3, reason: 'billsec is greater than duration' },
        { index: 4, reason: 'not an object' },
      ],
    });
    expect(await stored(good.uniqueid)).toMatchObject([{ rating_status: 'unanswered', user_price: '0.000000' }]);
  });

  it('stores a number without a rate as no_rate, at no cost', async () => {
    const c = call({ dst: '3712345' });
    await admin().calls.ingest.mutate({ calls: [c] });
    expect(await stored(c.uniqueid)).toMatchObject([{ rating_status: 'no_rate', user_price: '0.000000', prefix: '' }]);
  });

  it('creates the month partition of a backfilled call', async () => {
    const c = call({ calldate: '2019-02-10T08:00:00Z' });
    expect(await admin().calls.ingest.mutate({ calls: [c] })).toMatchObject({ inserted: 1 });
    const [p] = await queryRows<{ n: string | null }>(
      api.handle.db,
      sql`select to_regclass('calls_y2019m02')::text as n`,
    );
    expect(p!.n).toBe('calls_y2019m02');
  });

  it("is the admin's", async () => {
    const e = await trpcError(async () => (await callerAs(api, reseller.username)).calls.ingest({ calls: [call()] }));
    expect(e.code).toBe('FORBIDDEN');
  });
});

describe('integrity.unratedCalls', () => {
  it('lists answered calls stored at no cost, per user and status', async () => {
    const now = new Date().toISOString();
    const orphan = await createUser(api.handle);
    const d = await createDevice(api.handle, orphan.id);
    await admin().calls.ingest.mutate({
      calls: [
        call({ dst: '3799', calldate: now }),
        call({ dst: '3798', calldate: now }),
        call({ deviceId: d.id, calldate: now }),
        call({ deviceId: d.id, calldate: now, disposition: 'BUSY', billsec: 0 }),
      ],
    });
    const report = await admin().integrity.unratedCalls.query();
    expect(report).toEqual([
      expect.objectContaining({ userId: user.id, status: 'no_rate', calls: 2, numbers: ['3798', '3799'] }),
      expect.objectContaining({ userId: orphan.id, status: 'no_tariff', calls: 1, numbers: ['442079460000'] }),
    ]);
    const e = await trpcError(async () => (await callerAs(api, reseller.username)).integrity.unratedCalls());
    expect(e.code).toBe('FORBIDDEN');
  });
});

describe('calls.ingest under concurrency', () => {
  it('charges calls that two batches share, in different orders, exactly once and never deadlocks', async () => {
    const [before] = await queryRows<{ balance: string }>(
      api.handle.db,
      sql`select balance::text from users where id = ${user.id}`,
    );
    // Batches large enough to overlap in time on Postgres: claimed in batch order, the shared keys of
    // the second (reversed) batch met the first's in opposite order and one of the two deadlocked.
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const calls = Array.from({ length: 2500 }, (_, n) =>
        call({ uniqueid: `race-${round}-${String(n).padStart(4, '0')}`, billsec: 60, duration: 60 }),
      );
      const [a, b] = await Promise.all([
        admin().calls.ingest.mutate({ calls: calls.slice(0, 2000) }),
        admin().calls.ingest.mutate({ calls: calls.slice(500).reverse() }),
      ]);
      expect(a.rejected).toEqual([]);
      expect(b.rejected).toEqual([]);
      expect(a.inserted + b.inserted).toBe(2500);
      expect(a.duplicates + b.duplicates).toBe(1500);
    }
    const [after] = await queryRows<{ balance: string; charged: string; n: number }>(
      api.handle.db,
      sql`select balance::text, (select sum(user_price)::text from calls where uniqueid like 'race-%') as charged,
          (select count(*)::int from calls where uniqueid like 'race-%') as n
        from users where id = ${user.id}`,
    );
    // 12,500 calls × (0.1 + 0.06) = 2,000
    expect(after!.n).toBe(12500);
    expect(after!.charged).toBe('2000.000000');
    expect((Number(before!.balance) - Number(after!.balance)).toFixed(6)).toBe('2000.000000');
    expect((await admin().ledger.reconcile.query()).differences).toEqual([]);
  });
});
