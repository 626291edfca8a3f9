import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { users } from '../../src/db/schema/users.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => callerAs(api, TEST.adminUsername);
let seq = 0;
const name = (base: string) => `${base} ${++seq}`;

describe('apiPermissionGroups.assign', () => {
  it('restricts a user or an accountant, lifts it with null, and logs both', async () => {
    const caller = await admin();
    const group = await caller.apiPermissionGroups.create({ name: name('assign') });
    const user = await createUser(api.handle);
    const accountant = await createAccountant(api.handle);
    for (const target of [user, accountant]) {
      expect(await caller.apiPermissionGroups.assign({ userId: target.id, groupId: group.id })).toEqual({
        userId: target.id,
        apiRestricted: true,
        groupId: group.id,
      });
    }
    expect((await caller.apiPermissionGroups.get({ id: group.id })).users).toBe(2);
    await caller.apiPermissionGroups.assign({ userId: user.id, groupId: null });
    const [row] = await api.handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ apiRestricted: false, apiPermissionGroupId: null });
    const logs = await api.handle.db.select().from(actions).where(eq(actions.targetId, user.id));
    expect(logs.filter((l) => l.action === 'api_permission_group_assigned').map((l) => [l.data, l.data2])).toEqual([
      ['', String(group.id)],
      [String(group.id), ''],
    ]);
  });

  it('refuses admins and resellers as targets, and users outside the caller’s reach', async () => {
    const caller = await admin();
    const group = await caller.apiPermissionGroups.create({ name: name('targets') });
    const reseller = await createReseller(api.handle);
    for (const userId of [0, reseller.id]) {
      expect(await trpcError(() => caller.apiPermissionGroups.assign({ userId, groupId: group.id }))).toMatchObject({
        code: 'BAD_REQUEST',
        message: 'Only users and accountants can have API restricted',
      });
    }
    expect((await trpcError(() => caller.apiPermissionGroups.assign({ userId: 999_999, groupId: null }))).code).toBe(
      'NOT_FOUND',
    );
    const otherReseller = await callerAs(api, (await createReseller(api.handle)).username);
    const foreign = await createUser(api.handle, { ownerId: reseller.id });
    const theirs = await otherReseller.apiPermissionGroups.create({ name: 'theirs' });
    expect(
      (await trpcError(() => otherReseller.apiPermissionGroups.assign({ userId: foreign.id, groupId: theirs.id })))
        .code,
    ).toBe('NOT_FOUND');
  });

  it('lets accountants with Users manage read (1) or write (2); refuses others', async () => {
    const reader = await callerAs(api, (await createAccountant(api.handle, { users_manage: 1 })).username);
    const writer = await callerAs(api, (await createAccountant(api.handle, { users_manage: 2 })).username);
    expect(Array.isArray(await reader.apiPermissionGroups.list())).toBe(true);
    expect(await trpcError(() => reader.apiPermissionGroups.create({ name: name('acc') }))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'API permission groups need the Users manage permission (write)',
    });
    const group = await writer.apiPermissionGroups.create({ name: name('acc') });
    const user = await createUser(api.handle);
    expect((await writer.apiPermissionGroups.assign({ userId: user.id, groupId: group.id })).apiRestricted).toBe(true);
    const resellerUser = await createUser(api.handle, { ownerId: (await createReseller(api.handle)).id });
    expect(
      (await trpcError(() => writer.apiPermissionGroups.assign({ userId: resellerUser.id, groupId: null }))).code,
    ).toBe('NOT_FOUND');
    for (const account of [await createAccountant(api.handle, { monitorings: 2 }), await createUser(api.handle)]) {
      const caller = await callerAs(api, account.username);
      expect((await trpcError(() => caller.apiPermissionGroups.list())).code).toBe('FORBIDDEN');
    }
  });
});
