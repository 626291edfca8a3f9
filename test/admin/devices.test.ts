import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createDialplan,
  createProvider,
  createQuickforwardsRule,
  insertDevice,
  insertDid,
  nameUser,
} from '../helpers/factories.ts';
import { makeWorld, type World } from '../mor/devicesWorld.ts';

const api = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(api);
});

describe('tRPC devices', () => {
  it('creates, lists, reads, updates and deletes a device over the wire', async () => {
    const admin = clientWith(api, TEST.adminToken);
    const created = await admin.devices.create.mutate({
      userId: w.adminUser.id,
      description: 'desk',
      extension: '7001',
    });
    expect(created).toMatchObject({ username: '7001' });
    expect(created.password).toMatch(/^[A-Za-z0-9]{12}$/);
    const list = await admin.devices.list.query({ userId: w.adminUser.id });
    expect(list.map((d) => d.id)).toContain(created.id);
    await admin.devices.update.mutate({ id: created.id, callLimit: 2, comment: 'typed' });
    const got = await admin.devices.get.query({ id: created.id });
    expect(got.device).toMatchObject({ callLimit: 2, comment: 'typed', description: 'desk' });
    expect(got.audioCodecs).toEqual(['alaw', 'ulaw', 'g729']);
    const flow = await admin.devices.updateCallflow.mutate({
      id: created.id,
      state: 'busy',
      action: 'voicemail',
    });
    expect(flow.callflows).toEqual([expect.objectContaining({ state: 'Busy', action: 'Voicemail' })]);
    expect((await admin.devices.callflow.query({ id: created.id })).callflows).toHaveLength(6);
    await admin.devices.delete.mutate({ id: created.id });
    const gone = await trpcError(() => callerAs(api, 'admin').then((c) => c.devices.get({ id: created.id })));
    expect(gone.code).toBe('NOT_FOUND');
  });

  it('reports all update problems as BAD_REQUEST and keeps tenants apart', async () => {
    const mine = await insertDevice(api.handle, w.userA.id);
    const theirs = await insertDevice(api.handle, w.userB.id);
    const reseller = await callerAs(api, w.resellerA.username);
    const bad = await trpcError(() => reseller.devices.update({ id: mine.id, password: 'short', transport: 'x' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toBe('Device was not updated: Password is too short; transport is invalid');
    expect((await trpcError(() => reseller.devices.get({ id: theirs.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => reseller.devices.list({ userId: w.userB.id }))).code).toBe('NOT_FOUND');
    const user = await callerAs(api, w.userA.username);
    expect((await trpcError(() => user.devices.create({ userId: w.userA.id }))).code).toBe('FORBIDDEN');
    const accountant = await callerAs(api, w.accountantNone.username);
    expect((await trpcError(() => accountant.devices.list({ userId: w.userA.id }))).code).toBe('FORBIDDEN');
  });
});

describe('tRPC CLIs', () => {
  it('adds, lists, looks up and deletes a CLI; a number is unique system-wide', async () => {
    const device = await insertDevice(api.handle, w.userA.id);
    const reseller = await callerAs(api, w.resellerA.username);
    await reseller.clis.add({ deviceId: device.id, number: '37011122233', description: 'mobile', banned: false });
    expect(await reseller.clis.info({ number: '37011122233' })).toEqual({ userId: w.userA.id, deviceId: device.id });
    const listed = await reseller.clis.list({ deviceId: device.id });
    expect(listed).toEqual([expect.objectContaining({ cli: '37011122233', description: 'mobile', banned: 0 })]);
    const other = await callerAs(api, w.resellerB.username);
    const dup = await trpcError(async () =>
      other.clis.add({ deviceId: (await insertDevice(api.handle, w.userB.id)).id, number: '37011122233' }),
    );
    expect(dup).toMatchObject({ code: 'CONFLICT', message: 'CLI already exists' });
    expect((await trpcError(() => other.clis.delete({ number: '37011122233' }))).code).toBe('NOT_FOUND');
    await reseller.clis.delete({ number: '37011122233' });
    expect((await trpcError(() => reseller.clis.info({ number: '37011122233' }))).code).toBe('NOT_FOUND');
  });
});

describe('tRPC DIDs', () => {
  it('creates a number range, skipping numbers that exist, then assigns, updates, stops and lists', async () => {
    const provider = await createProvider(api.handle, 0);
    await insertDid(api.handle, { did: '3708000002' });
    const admin = await callerAs(api, 'admin');
    const range = await admin.dids.createRange({ providerId: provider.id, from: '3708000000', to: '3708000009' });
    expect(range).toMatchObject({ created: 9, skipped: 1 });
    const bad = await trpcError(() => admin.dids.createRange({ providerId: provider.id, from: '9', to: '1' }));
    expect(bad.code).toBe('BAD_REQUEST');
    const device = await insertDevice(api.handle, w.adminUser.id);
    await admin.dids.assign({ deviceId: device.id, did: '3708000001' });
    const [row] = await admin.dids.list({ number: '3708000001' });
    expect(row).toMatchObject({ didStatus: 'active', status: 'Active', simultaneousCallLimit: 'Unlimited' });
    await admin.dids.update({ id: row!.id, callLimit: 4, comment: 'desk line' });
    await admin.dids.stopSubscription({ id: row!.id });
    const [closed] = await admin.dids.list({ number: '3708000001' });
    expect(closed).toMatchObject({ didStatus: 'closed', simultaneousCallLimit: '4', comment: 'desk line' });
    const single = await admin.dids.create({ providerId: provider.id, did: '3708000099' });
    await admin.dids.assign({ deviceId: device.id, did: '3708000099' });
    await admin.dids.unassign({ id: single.id });
    expect((await admin.dids.list({ number: '3708000099' }))[0]).toMatchObject({ didStatus: 'free', device: '' });
    const reseller = await callerAs(api, w.resellerA.username);
    expect((await trpcError(() => reseller.dids.list({ number: '37080000' }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => reseller.dids.unassign({ id: single.id }))).code).toBe('FORBIDDEN');
  });
});

describe('tRPC quickforwards and phonebooks', () => {
  it("edits the token account's own Quickforwards", async () => {
    const plan = await createDialplan(api.handle);
    await insertDid(api.handle, { did: '37090000001', dialplanId: plan.id });
    await createQuickforwardsRule(api.handle, 0, '3709%', [0]);
    const admin = await callerAs(api, 'admin');
    expect(await admin.quickforwards.list()).toEqual([{ did: '37090000001', forwardTo: '', description: '' }]);
    expect(await admin.quickforwards.update({ did: '37090000001', forwardTo: '123', description: 'x' })).toEqual({
      did: '37090000001',
      forwardTo: '123',
      description: 'x',
    });
    await admin.quickforwards.delete({ did: '37090000001' });
    expect((await trpcError(() => admin.quickforwards.delete({ did: '37090000001' }))).code).toBe('NOT_FOUND');
  });

  it('creates, lists and edits phonebook records within reach', async () => {
    const user = await callerAs(api, w.userA.username);
    const { id } = await user.phonebooks.create({
      userId: w.userA.id,
      name: 'Mum',
      number: '37060000000',
      speeddial: '12',
    });
    await user.phonebooks.edit({ id: id, name: 'Mother' });
    expect(await user.phonebooks.list({ userId: w.userA.id })).toEqual([
      { id, name: 'Mother', number: '37060000000', speeddial: '12' },
    ]);
    const invalid = await trpcError(() =>
      user.phonebooks.create({ userId: w.userA.id, name: 'x', number: '1', speeddial: '1' }),
    );
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST', message: 'Speed Dial should have at least two digits' });
    expect((await trpcError(() => user.phonebooks.list({ userId: w.userB.id }))).code).toBe('NOT_FOUND');
  });
});

describe('integrity.devices', () => {
  it('lists weak-password and insecure dynamic devices with their owners', async () => {
    await nameUser(api.handle, w.resellerA.id, 'Reseller', 'A');
    const weak = await insertDevice(api.handle, w.userA.id, { secret: 'abc' });
    const same = await insertDevice(api.handle, w.adminUser.id, { username: 'sameSame1', secret: 'sameSame1' });
    const insecure = await insertDevice(api.handle, w.userA.id, { insecure: 'port,invite' });
    const ipAuth = await insertDevice(api.handle, w.userA.id, {
      host: '10.1.1.1',
      username: '',
      secret: '',
      insecure: 'port,invite',
    });
    const result = await (await callerAs(api, 'admin')).integrity.devices();
    const weakIds = result.weakPasswords.map((d) => d.deviceId);
    expect(weakIds).toEqual(expect.arrayContaining([weak.id, same.id]));
    expect(weakIds).not.toContain(insecure.id);
    expect(weakIds).not.toContain(ipAuth.id);
    expect(result.insecure.map((d) => d.deviceId)).toEqual([insecure.id]);
    expect(result.insecure[0]).toMatchObject({ userId: w.userA.id, ownerId: w.resellerA.id, owner: 'Reseller A' });
    expect(result.weakPasswords.find((d) => d.deviceId === same.id)).toMatchObject({ ownerId: null, owner: '' });
    const reseller = await callerAs(api, w.resellerA.username);
    expect((await trpcError(() => reseller.integrity.devices())).code).toBe('FORBIDDEN');
    const accountant = await callerAs(api, w.accountantNone.username);
    expect((await trpcError(() => accountant.integrity.devices())).code).toBe('FORBIDDEN');
  });
});
