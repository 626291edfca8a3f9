import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => callerAs(api, TEST.adminUsername);
let seq = 0;
const name = (base: string) => `${base} ${++seq}`;

describe('apiPermissionGroups.create, get and list', () => {
  it('creates a group with levels and finds it again', async () => {
    const caller = await admin();
    const group = await caller.apiPermissionGroups.create({
      name: '  Shop integration  ',
      levels: { user_balance_get: 1, conflines_update: 2, system_version_get: 0 },
    });
    expect(group).toMatchObject({
      name: 'Shop integration',
      levels: { user_balance_get: 1, conflines_update: 2, system_version_get: 0 },
      users: 0,
    });
    expect(await caller.apiPermissionGroups.get({ id: group.id })).toEqual(group);
    expect(await caller.apiPermissionGroups.list()).toContainEqual(group);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'api_permission_group_created'));
    expect(log).toMatchObject({ targetId: group.id, data: 'Shop integration' });
  });

  it('validates method names against the XML registry and read-only levels', async () => {
    const caller = await admin();
    const cases: [Record<string, 0 | 1 | 2>, string][] = [
      [{ nope: 1 }, 'Unknown API method: nope'],
      [{ balance: 1 }, 'Unknown API method: balance'],
      [{ user_simple_balance_get: 1 }, 'Unknown API method: user_simple_balance_get'],
      [{ user_balance_get: 2 }, 'user_balance_get is read-only: its level is 0 or 1'],
      [{ system_version_get: 2 }, 'system_version_get is read-only: its level is 0 or 1'],
    ];
    for (const [levels, message] of cases) {
      const error = await trpcError(() => caller.apiPermissionGroups.create({ name: name('bad'), levels }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', message });
    }
    const level3 = await trpcError(() =>
      caller.apiPermissionGroups.create({ name: name('bad'), levels: { conflines_update: 3 as never } }),
    );
    expect(level3.code).toBe('BAD_REQUEST');
    expect((await trpcError(() => caller.apiPermissionGroups.create({ name: '   ' }))).code).toBe('BAD_REQUEST');
  });

  it('keeps names unique per owner: CONFLICT for the admin, free for a reseller', async () => {
    const caller = await admin();
    await caller.apiPermissionGroups.create({ name: 'Twice' });
    expect(await trpcError(() => caller.apiPermissionGroups.create({ name: 'Twice' }))).toMatchObject({
      code: 'CONFLICT',
      message: 'API permission group name is already taken',
    });
    const reseller = await callerAs(api, (await createReseller(api.handle)).username);
    expect((await reseller.apiPermissionGroups.create({ name: 'Twice' })).name).toBe('Twice');
  });
});

describe('apiPermissionGroups.update and delete', () => {
  it('renames and replaces levels; refuses a taken name', async () => {
    const caller = await admin();
    const group = await caller.apiPermissionGroups.create({ name: name('g'), levels: { user_balance_get: 1 } });
    const other = await caller.apiPermissionGroups.create({ name: name('g') });
    const updated = await caller.apiPermissionGroups.update({
      id: group.id,
      name: 'renamed',
      levels: { system_version_get: 1 },
    });
    expect(updated).toMatchObject({ id: group.id, name: 'renamed', levels: { system_version_get: 1 } });
    expect(await trpcError(() => caller.apiPermissionGroups.update({ id: other.id, name: 'renamed' }))).toMatchObject({
      code: 'CONFLICT',
    });
    const badLevels = await trpcError(() =>
      caller.apiPermissionGroups.update({ id: group.id, levels: { user_login: 2 } }),
    );
    expect(badLevels.message).toBe('user_login is read-only: its level is 0 or 1');
    expect((await caller.apiPermissionGroups.get({ id: group.id })).levels).toEqual({ system_version_get: 1 });
  });

  it('refuses to delete a group in use, then deletes it once free', async () => {
    const caller = await admin();
    const group = await caller.apiPermissionGroups.create({ name: name('in use') });
    const user = await createUser(api.handle);
    await caller.apiPermissionGroups.assign({ userId: user.id, groupId: group.id });
    expect(await trpcError(() => caller.apiPermissionGroups.delete({ id: group.id }))).toMatchObject({
      code: 'CONFLICT',
      message: 'API permission group is assigned to 1 account(s)',
    });
    await caller.apiPermissionGroups.assign({ userId: user.id, groupId: null });
    expect(await caller.apiPermissionGroups.delete({ id: group.id })).toEqual({ id: group.id });
    expect((await trpcError(() => caller.apiPermissionGroups.get({ id: group.id }))).code).toBe('NOT_FOUND');
  });

  it("hides another owner's groups: get, update, delete and assign answer NOT_FOUND", async () => {
    const adminGroup = await (await admin()).apiPermissionGroups.create({ name: name('admin only') });
    const reseller = await createReseller(api.handle);
    const caller = await callerAs(api, reseller.username);
    const own = await caller.apiPermissionGroups.create({ name: 'mine', levels: { system_version_get: 1 } });
    expect((await caller.apiPermissionGroups.list()).map((g) => g.id)).toEqual([own.id]);
    const customer = await createUser(api.handle, { ownerId: reseller.id });
    const attempts = [
      () => caller.apiPermissionGroups.get({ id: adminGroup.id }),
      () => caller.apiPermissionGroups.update({ id: adminGroup.id, name: 'stolen' }),
      () => caller.apiPermissionGroups.delete({ id: adminGroup.id }),
      () => caller.apiPermissionGroups.assign({ userId: customer.id, groupId: adminGroup.id }),
    ];
    for (const attempt of attempts) expect((await trpcError(attempt)).code).toBe('NOT_FOUND');
    expect((await (await admin()).apiPermissionGroups.get({ id: adminGroup.id })).name).toBe(adminGroup.name);
  });
});
