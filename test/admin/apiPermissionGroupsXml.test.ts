import { describe, expect, it } from 'vitest';
import { callerAs } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createApiPermissionGroup, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const notAuthorized = statusErrorXml('You are not authorized to view this page');
const isVersion = (body: string) => body.startsWith(`${XML_DECL}\n<page>\n  <version>`);
const balanceXml = `${XML_DECL}\n<page>\n  <balance>12.5000</balance>\n</page>\n`;
const settingsUpdated = `${XML_DECL}\n<page>\n  <status>\n    <success>Settings successfully updated</success>\n  </status>\n</page>\n`;

describe('API permission groups over the XML API', () => {
  it('gates a restricted user method by method, from the next request on', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    await admin.settings.update({ allowBalanceOverHttp: true });
    const user = await createUser(api.handle, { balance: '12.5' });
    const version = () => api.call('system_version_get', { u: user.username });
    const balance = () =>
      api.call('user_balance_get', { u: user.username, username: user.username }, { hashOf: ['username', 'currency'] });
    expect(isVersion((await version()).body)).toBe(true);
    expect((await balance()).body).toBe(balanceXml);

    const group = await admin.apiPermissionGroups.create({ name: 'nothing yet' });
    await admin.apiPermissionGroups.assign({ userId: user.id, groupId: group.id });
    expect((await version()).body).toBe(notAuthorized);
    expect((await balance()).body).toBe(notAuthorized);

    await admin.apiPermissionGroups.update({ id: group.id, levels: { user_balance_get: 1 } });
    expect((await balance()).body).toBe(balanceXml);
    expect((await version()).body).toBe(notAuthorized);

    await admin.apiPermissionGroups.update({ id: group.id, levels: { user_balance_get: 0, system_version_get: 1 } });
    expect((await balance()).body).toBe(notAuthorized);
    expect(isVersion((await version()).body)).toBe(true);

    await admin.apiPermissionGroups.assign({ userId: user.id, groupId: null });
    expect((await balance()).body).toBe(balanceXml);
  });

  it('restricts an accountant the same way', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const accountant = await createAccountant(api.handle);
    const group = await admin.apiPermissionGroups.create({ name: 'accountants', levels: { user_balance_get: 1 } });
    await admin.apiPermissionGroups.assign({ userId: accountant.id, groupId: group.id });
    expect((await api.call('system_version_get', { u: accountant.username })).body).toBe(notAuthorized);
    await admin.apiPermissionGroups.update({ id: group.id, levels: { system_version_get: 1 } });
    expect(isVersion((await api.call('system_version_get', { u: accountant.username })).body)).toBe(true);
  });

  it('never lets read satisfy a write method; write does', async () => {
    // The only write method so far (conflines_update) is for admins and resellers, whom assign refuses to
    // restrict: the row is written directly to prove the pipeline's rule for any restricted account.
    const group = await createApiPermissionGroup(api.handle, { conflines_update: 1, system_version_get: 1 });
    const reseller = await createReseller(api.handle, 'reseller-key', {
      apiRestricted: true,
      apiPermissionGroupId: group.id,
    });
    const update = () => api.call('conflines_update', { u: reseller.username, default_user_call_limit: '3' });
    expect((await update()).body).toBe(notAuthorized);
    expect(
      isVersion((await api.call('system_version_get', { u: reseller.username }, { key: 'reseller-key' })).body),
    ).toBe(true);

    const admin = await callerAs(api, TEST.adminUsername);
    await admin.apiPermissionGroups.update({ id: group.id, levels: { conflines_update: 2 } });
    expect((await update()).body).toBe(settingsUpdated);
  });
});
