import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createAccountant,
  createProvider,
  createReseller,
  createTariff,
  createUser,
  insertDid,
} from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
let r1: Awaited<ReturnType<typeof createReseller>>;
let r2: Awaited<ReturnType<typeof createReseller>>;
let user: Awaited<ReturnType<typeof createUser>>;
let reader: Awaited<ReturnType<typeof createUser>>;
let none: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  r1 = await createReseller(api.handle, 'r1-key');
  r2 = await createReseller(api.handle, 'r2-key');
  user = await createUser(api.handle);
  reader = await createAccountant(api.handle, { manage_provider: 2 });
  none = await createAccountant(api.handle, {});
  api.changed();
});

describe('providers procedures', () => {
  it('create → get → list → update → delete', async () => {
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const created = await admin().providers.create.mutate({ name: 'T1', tech: 'SIP', tariffId: String(tariff.id) });
    expect(created).toMatchObject({ name: 'T1', tech: 'SIP', tariffId: tariff.id, ownerId: 0, timeout: 60 });
    expect(created.deviceId).toBeGreaterThan(0);
    expect(await admin().providers.get.query({ id: created.id })).toEqual(created);
    expect(await admin().providers.list.query()).toContainEqual(created);
    const updated = await admin().providers.update.mutate({ id: created.id, name: 'T2', port: '5080' });
    expect(updated).toMatchObject({ name: 'T2', port: 5080 });
    expect(await admin().providers.delete.mutate({ id: created.id })).toEqual({ id: created.id });
    const asAdmin = await callerAs(api, TEST.adminUsername);
    expect((await trpcError(() => asAdmin.providers.get({ id: created.id }))).code).toBe('NOT_FOUND');
  });

  it('errors carry the XML messages', async () => {
    const asAdmin = await callerAs(api, TEST.adminUsername);
    const tariff = await createTariff(api.handle, { purpose: 'provider' });
    const empty = await trpcError(() =>
      asAdmin.providers.create({ name: '', tech: 'SIP', tariffId: String(tariff.id) }),
    );
    expect([empty.code, empty.message]).toEqual(['BAD_REQUEST', 'Provider name cannot be empty']);
    const badTariff = await trpcError(() => asAdmin.providers.create({ name: 'X', tech: 'SIP', tariffId: '0' }));
    expect(badTariff.message).toBe('Invalid tariff');
    const p = await createProvider(api.handle, 0, { name: 'Used' });
    await insertDid(api.handle, { did: '3706999000', providerId: p.id });
    const used = await trpcError(() => asAdmin.providers.delete({ id: p.id }));
    expect([used.code, used.message]).toEqual(['CONFLICT', 'Cannot delete provider']);
  });

  it('scoped like the XML side', async () => {
    const own = await createProvider(api.handle, r1.id, { name: 'R1 trunk' });
    const admins = await createProvider(api.handle, 0, { name: 'Admin trunk' });
    const asR1 = await callerAs(api, r1.username);
    expect((await asR1.providers.list()).map((p) => p.id)).toEqual([own.id]);
    expect((await trpcError(() => asR1.providers.get({ id: admins.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => asR1.providers.delete({ id: own.id }))).code).toBe('FORBIDDEN');
    const asR2 = await callerAs(api, r2.username);
    expect((await trpcError(() => asR2.providers.get({ id: own.id }))).code).toBe('NOT_FOUND');
    const asReader = await callerAs(api, reader.username);
    expect((await asReader.providers.list()).map((p) => p.id)).toContain(admins.id);
    expect((await trpcError(() => asReader.providers.update({ id: admins.id, name: 'x' }))).code).toBe('FORBIDDEN');
    for (const u of [user, none]) {
      const as = await callerAs(api, u.username);
      expect((await trpcError(() => as.providers.list())).code).toBe('FORBIDDEN');
    }
  });
});
