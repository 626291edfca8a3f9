import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { type CallsWorld, callsWorld, insertCalls } from '../helpers/calls.ts';
import { TEST } from '../helpers/db.ts';

const NOW = new Date('2024-05-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
let w: CallsWorld;

beforeAll(async () => {
  w = await callsWorld(api);
  await insertCalls(api.handle, [
    { userId: w.user.id, calldate: '2024-05-15T01:00:00Z', billsec: 60, userPrice: '0.5', providerPrice: '0.2' },
    { userId: w.user.id, calldate: '2024-05-15T02:00:00Z', disposition: 'BUSY' },
    {
      userId: w.u1.id,
      resellerId: w.r1.id,
      calldate: '2024-05-15T03:00:00Z',
      billsec: 30,
      userPrice: '1',
      resellerPrice: '0.6',
    },
  ]);
});

/** The tRPC error code a client call fails with. */
async function clientCode(fn: () => Promise<unknown>): Promise<string> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e as { data?: { code?: string } },
  );
  return error?.data?.code ?? 'no error';
}

describe('tRPC callStats', () => {
  it('quickstats: the same figures as quickstats_get, by role', async () => {
    const admin = clientWith(api, TEST.adminToken);
    const stats = await admin.callStats.quickstats.query();
    expect(stats.view).toBe('owner');
    expect(stats.today).toMatchObject({
      calls: 2,
      duration: 90,
      revenue: '1.100000',
      selfCost: '0.200000',
      margin: 82,
    });
    const reseller = clientWith(api, (await (await callerAs(api, w.r1.username)).tokens.issue({})).token);
    expect((await reseller.callStats.quickstats.query()).today).toMatchObject({ calls: 1, revenue: '1.000000' });
    const accountant = await callerAs(api, w.accFull.username);
    expect((await trpcError(() => accountant.callStats.quickstats())).code).toBe('FORBIDDEN');
  });

  it('aggregates: groups and filters, the source that answered, refusals and bad input', async () => {
    const admin = clientWith(api, TEST.adminToken);
    const day = { from: '2024-05-15T00:00:00Z', till: '2024-05-15T23:59:59Z' };
    const byUser = await admin.callStats.aggregates.query({ ...day, groups: ['user'] });
    expect(byUser.source).toBe('rollups');
    expect(byUser.rows.map((r) => [r.keys[0], r.totalCalls, r.answeredCalls])).toEqual([
      [['user_id', String(w.user.id)], 2, 1],
      [['user_id', String(w.u1.id)], 1, 1],
    ]);
    expect(byUser.totals).toMatchObject({ totalCalls: 3, answeredCalls: 2, price: '1.5000', asr: '66.67' });
    const direct = await admin.callStats.aggregates.query({ ...day, groups: ['user'], minDuration: 0 });
    expect(direct.source).toBe('calls');
    expect(direct.rows).toEqual(byUser.rows);
    expect(await clientCode(() => admin.callStats.aggregates.query({ groups: ['nonsense' as 'user'] }))).toBe(
      'BAD_REQUEST',
    );
    expect(await clientCode(() => admin.callStats.aggregates.query({ userId: 999999 }))).toBe('NOT_FOUND');
    const reseller = await callerAs(api, w.r1.username);
    expect((await trpcError(() => reseller.callStats.aggregates({}))).code).toBe('FORBIDDEN');
    await api.handle.db.update(users).set({ ownProviders: true }).where(eq(users.id, w.r1.id));
    expect((await reseller.callStats.aggregates({ ...day })).totals.totalCalls).toBe(1);
  });
});
