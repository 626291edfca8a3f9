import { describe, expect, it } from 'vitest';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser, setConflines } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => callerAs(api, TEST.adminUsername);
const report = async () => (await admin()).integrity.users();

describe('integrity.users', () => {
  it('lists users whose password was weak when set, until a strong one replaces it', async () => {
    const asAdmin = await admin();
    const weak = await asAdmin.users.create({ username: 'weakling', password: 'weakling' });
    const strong = await asAdmin.users.create({ username: 'strongling', password: 'Correct-Horse-9' });
    const short = await asAdmin.users.create({ username: 'shorty', password: 'Ab1!' });
    const listed = (await report()).weakPasswords.map((u) => u.id);
    expect(listed).toEqual(expect.arrayContaining([weak.id, short.id]));
    expect(listed).not.toContain(strong.id);
    await asAdmin.users.update({ id: weak.id, password: 'Much-Better-42' });
    await api.call(
      'user_details_update',
      { u: 'admin', user_id: String(strong.id), pswd: '1234' },
      { hashOf: ['user_id', 'pswd'] },
    );
    const after = (await report()).weakPasswords.map((u) => u.id);
    expect(after).not.toContain(weak.id);
    expect(after).toContain(strong.id);
  });

  it('lists postpaid users allowed loss calls, with their owner', async () => {
    const reseller = await createReseller(api.handle);
    const risky = await createUser(api.handle, { ownerId: reseller.id });
    const safe = await createUser(api.handle);
    const asAdmin = await admin();
    await asAdmin.users.update({ id: risky.id, postpaid: true, allowLossCalls: true });
    await asAdmin.users.update({ id: safe.id, postpaid: true });
    const { postpaidLossCalls } = await report();
    expect(postpaidLossCalls).toContainEqual({
      id: risky.id,
      username: risky.username,
      usertype: 'user',
      ownerId: reseller.id,
      ownerUsername: reseller.username,
    });
    expect(postpaidLossCalls.map((u) => u.id)).not.toContain(safe.id);
  });

  it('lists the owners whose Default User is postpaid with loss calls', async () => {
    expect((await report()).defaultUsers).toEqual([]);
    const reseller = await createReseller(api.handle);
    await setConflines(api.handle, 0, { default_user_postpaid: '1', default_user_allow_loss_calls: '1' });
    await setConflines(api.handle, reseller.id, { default_user_postpaid: '1', default_user_allow_loss_calls: '0' });
    expect((await report()).defaultUsers).toEqual([{ ownerId: 0, ownerUsername: 'admin' }]);
    await setConflines(api.handle, reseller.id, { default_user_allow_loss_calls: '1' });
    expect((await report()).defaultUsers).toEqual([
      { ownerId: 0, ownerUsername: 'admin' },
      { ownerId: reseller.id, ownerUsername: reseller.username },
    ]);
  });

  it('is for the admin only', async () => {
    const reseller = await createReseller(api.handle);
    const accountant = await createAccountant(api.handle, { users_manage: 2 });
    for (const username of [reseller.username, accountant.username]) {
      const caller = await callerAs(api, username);
      expect((await trpcError(() => caller.integrity.users())).code).toBe('FORBIDDEN');
    }
  });
});
