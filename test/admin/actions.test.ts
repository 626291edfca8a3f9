// actions.list: the action log through the admin API, filtered and scoped by realm.
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();

describe('actions.list (tRPC)', () => {
  it('filters by user, action, target and period; a reseller sees only its realm; users are refused', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const resellerA = await createReseller(api.handle, 'actions-a-key');
    const resellerB = await createReseller(api.handle, 'actions-b-key');
    const userA = await createUser(api.handle, { ownerId: resellerA.id });
    const userB = await createUser(api.handle, { ownerId: resellerB.id });
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
    await api.handle.db.insert(actions).values([
      { userId: resellerA.id, action: 'device_created', targetType: 'device', targetId: 7, createdAt: at(1) },
      { userId: userA.id, action: 'login', createdAt: at(2) },
      { userId: resellerA.id, action: 'device_deleted', targetType: 'device', targetId: 7, createdAt: at(3) },
      { userId: userB.id, action: 'login', createdAt: at(2) },
      { userId: resellerB.id, action: 'device_created', targetType: 'device', targetId: 9, createdAt: at(4) },
    ]);
    // A real action, written by a procedure.
    const tariff = await admin.tariffs.create({ name: 'Logged', purpose: 'user' });

    const all = await admin.actions.list({});
    expect(all.total).toBeGreaterThanOrEqual(6);
    expect(all.actions[0]).toMatchObject({ userId: 0, username: TEST.adminUsername, targetId: tariff.id });

    const january = { from: '2026-01-01T00:00:00Z', till: '2026-02-01T00:00:00Z' };
    expect((await admin.actions.list({ ...january, action: 'login' })).actions.map((a) => a.userId).sort()).toEqual(
      [userA.id, userB.id].sort(),
    );
    expect(
      (await admin.actions.list({ ...january, targetType: 'device', targetId: 7 })).actions.map((a) => a.action),
    ).toEqual(['device_deleted', 'device_created']);
    expect((await admin.actions.list({ userId: resellerB.id })).total).toBe(1);
    expect(
      (await admin.actions.list({ from: '2026-01-02T00:00:00Z', till: '2026-01-03T00:00:00Z' })).actions.map(
        (a) => a.action,
      ),
    ).toEqual(['login', 'login']);
    const page = await admin.actions.list({ ...january, limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 5 });
    expect(page.actions.map((a) => a.createdAt)).toEqual([at(3).toISOString(), at(2).toISOString()]);

    // Realm: reseller A sees its own rows and its user's, never B's nor the admin's.
    const asA = await callerAs(api, resellerA.username);
    const mine = await asA.actions.list({});
    expect(new Set(mine.actions.map((a) => a.userId))).toEqual(new Set([resellerA.id, userA.id]));
    expect((await asA.actions.list({ userId: resellerB.id })).total).toBe(0);

    const asUser = await callerAs(api, userA.username);
    expect((await trpcError(() => asUser.actions.list({}))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => admin.actions.list({ from: 'yesterday' } as never))).code).toBe('BAD_REQUEST');
  });
});
