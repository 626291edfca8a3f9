import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { users } from '../../src/db/schema/users.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createReseller, createUser, getConfline } from '../helpers/factories.ts';

const api = useTestApp();
const versionOk = (body: string) => body.startsWith(`${XML_DECL}\n<page>\n  <version>`);

describe('settings.get', () => {
  it('gives the admin the global API settings and its uniquehash, never a password', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const view = await admin.settings.get();
    const [row] = await api.handle.db.select().from(users).where(eq(users.id, 0));
    expect(view).toMatchObject({ scope: 'global', allowApi: true, apiSecretKey: TEST.apiSecretKey });
    expect(view.allowGetApi).toBe(false);
    expect(view.uniquehash).toBe(row!.uniquehash);
    expect(view.uniquehash).toMatch(/^[a-z0-9]{10}$/);
    const wire = JSON.stringify(view);
    expect(wire).not.toMatch(/password/i);
    expect(wire).not.toContain(row!.password);
  });

  it('gives a reseller its own three settings over the global flags, and its own uniquehash', async () => {
    const reseller = await createReseller(api.handle, 'reseller-key-1');
    const view = await (await callerAs(api, reseller.username)).settings.get();
    expect(view).toMatchObject({
      scope: 'reseller',
      allowApi: true,
      apiSecretKey: 'reseller-key-1',
      disableHashChecking: false,
      uniquehash: reseller.uniquehash,
    });
    expect(Object.values(view)).not.toContain(TEST.apiSecretKey);
  });

  it('refuses simple users and accountants, even an accountant who manages users', async () => {
    const user = await createUser(api.handle);
    const accountant = await createAccountant(api.handle, { users_manage: 2, monitorings: 2 });
    for (const username of [user.username, accountant.username]) {
      const caller = await callerAs(api, username);
      expect((await trpcError(() => caller.settings.get())).code).toBe('FORBIDDEN');
      expect((await trpcError(() => caller.settings.update({ allowGetApi: true }))).code).toBe('FORBIDDEN');
    }
  });
});

describe('settings.update', () => {
  it('changes global settings, logs the change and takes effect on the next XML request', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    expect((await api.call('system_version_get', { u: 'admin' }, { verb: 'GET' })).body).toBe(
      statusErrorXml('GET Requests are disabled'),
    );
    const view = await admin.settings.update({ allowGetApi: true, allowBalanceOverHttp: true });
    expect(view).toMatchObject({ allowGetApi: true, allowBalanceOverHttp: true, scope: 'global' });
    expect(await getConfline(api.handle, 0, 'allow_get_api')).toBe('1');
    expect(versionOk((await api.call('system_version_get', { u: 'admin' }, { verb: 'GET' })).body)).toBe(true);
    const logged = await api.handle.db
      .select()
      .from(actions)
      .where(and(eq(actions.action, 'setting_changed'), eq(actions.data2, 'allow_get_api=1')));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ userId: 0, data: 'allow_get_api=0', targetType: 'confline' });
    await admin.settings.update({ allowGetApi: false });
  });

  it('reads and changes "tariff_import_all_or_nothing" (off by default); a reseller cannot change it', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    expect((await admin.settings.get()).tariffImportAllOrNothing).toBe(false);
    expect(await getConfline(api.handle, 0, 'tariff_import_all_or_nothing')).toBeUndefined();
    expect(await admin.settings.update({ tariffImportAllOrNothing: true })).toMatchObject({
      tariffImportAllOrNothing: true,
    });
    expect(await getConfline(api.handle, 0, 'tariff_import_all_or_nothing')).toBe('1');
    expect((await admin.settings.get()).tariffImportAllOrNothing).toBe(true);
    const reseller = await callerAs(api, (await createReseller(api.handle, 'reseller-key-2')).username);
    expect((await reseller.settings.get()).tariffImportAllOrNothing).toBe(true);
    const refused = await trpcError(() => reseller.settings.update({ tariffImportAllOrNothing: false }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: 'A reseller cannot change: tariffImportAllOrNothing' });
    expect(await admin.settings.update({ tariffImportAllOrNothing: false })).toMatchObject({
      tariffImportAllOrNothing: false,
    });
    expect(await getConfline(api.handle, 0, 'tariff_import_all_or_nothing')).toBe('0');
  });

  it('masks the secret key in the action log and answers with the new key', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const view = await admin.settings.update({ apiSecretKey: 'brand-new-key' });
    expect(view.apiSecretKey).toBe('brand-new-key');
    const rows = await api.handle.db.select().from(actions).where(eq(actions.action, 'setting_changed'));
    const keyRows = rows.filter((r) => r.data.startsWith('api_secret_key'));
    expect(keyRows).toHaveLength(1);
    expect(keyRows[0]).toMatchObject({ data: 'api_secret_key=********', data2: 'api_secret_key=********' });
    expect(JSON.stringify(rows)).not.toContain('brand-new-key');
    const res = await api.call('system_version_get', { u: 'admin' }, { key: 'brand-new-key' });
    expect(versionOk(res.body)).toBe(true);
    await admin.settings.update({ apiSecretKey: TEST.apiSecretKey });
  });

  it('refuses Allow API with a short or empty key: "Invalid API secret key"', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const short = await trpcError(() => admin.settings.update({ allowApi: true, apiSecretKey: 'abc' }));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', message: 'Invalid API secret key' });
    const empty = await trpcError(() => admin.settings.update({ apiSecretKey: '' }));
    expect(empty).toMatchObject({ code: 'BAD_REQUEST', message: 'Invalid API secret key' });
    expect(await getConfline(api.handle, 0, 'api_secret_key')).toBe(TEST.apiSecretKey);
  });

  it('refuses a short key while the API is off, with the conflines_update message', async () => {
    const reseller = await createUser(api.handle, { usertype: 'reseller' });
    const caller = await callerAs(api, reseller.username);
    const error = await trpcError(() => caller.settings.update({ apiSecretKey: 'abcde' }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'api_secret_key length must be higher than 5' });
    const enable = await trpcError(() => caller.settings.update({ allowApi: true }));
    expect(enable).toMatchObject({ code: 'BAD_REQUEST', message: 'Invalid API secret key' });
    expect(await getConfline(api.handle, reseller.id, 'allow_api')).toBeUndefined();
  });

  it("lets a reseller set only its own Allow API, key and hash checking, never the admin's", async () => {
    const reseller = await createUser(api.handle, { usertype: 'reseller' });
    const caller = await callerAs(api, reseller.username);
    const view = await caller.settings.update({ apiSecretKey: 'reseller-own-key', allowApi: true });
    expect(view).toMatchObject({ scope: 'reseller', allowApi: true, apiSecretKey: 'reseller-own-key' });
    expect(await getConfline(api.handle, reseller.id, 'api_secret_key')).toBe('reseller-own-key');
    expect(await getConfline(api.handle, 0, 'api_secret_key')).toBe(TEST.apiSecretKey);
    const res = await api.call('system_version_get', { u: reseller.username }, { key: 'reseller-own-key' });
    expect(versionOk(res.body)).toBe(true);

    await caller.settings.update({ disableHashChecking: true });
    expect(versionOk((await api.call('system_version_get', { u: reseller.username }, { hash: null })).body)).toBe(true);
    expect((await api.call('system_version_get', { u: 'admin' }, { hash: null })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );

    const global = await trpcError(() => caller.settings.update({ allowGetApi: true, allowApi: false }));
    expect(global).toMatchObject({ code: 'FORBIDDEN', message: 'A reseller cannot change: allowGetApi' });
    expect(await getConfline(api.handle, reseller.id, 'allow_api')).toBe('1');
  });

  it('rejects unknown keys and wrong types before any write', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const unknown = await trpcError(() => admin.settings.update({ password: 'x' } as never));
    expect(unknown.code).toBe('BAD_REQUEST');
    const wrongType = await trpcError(() => admin.settings.update({ allowApi: 'yes' } as never));
    expect(wrongType.code).toBe('BAD_REQUEST');
    expect(await getConfline(api.handle, 0, 'allow_api')).toBe('1');
  });
});
