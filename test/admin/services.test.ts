import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { insertService, type SubsWorld, subsWorld } from '../helpers/subs.ts';

const api = useTestApp();
let w: SubsWorld;
const admin = () => clientWith(api, TEST.adminToken);
beforeAll(async () => {
  w = await subsWorld(api);
});

describe('services procedures', () => {
  it('create → get → list → update → delete, money as decimal strings', async () => {
    const created = await admin().services.create.mutate({
      name: 'Flat 100',
      type: 'flat_rate',
      price: '9.99',
      quantity: 100,
    });
    expect(created).toEqual({
      id: created.id,
      ownerId: 0,
      name: 'Flat 100',
      memo: '',
      type: 'flat_rate',
      period: 'month',
      price: '9.990000',
      selfCost: '0.000000',
      quantity: 100,
      continueCall: false,
      subscriptions: 0,
    });
    expect(await admin().services.get.query({ id: created.id })).toEqual(created);
    expect(await admin().services.list.query()).toContainEqual(created);
    const updated = await admin().services.update.mutate({ id: created.id, price: '10', quantity: '120' });
    expect(updated).toMatchObject({ price: '10.000000', quantity: 120 });
    expect(await admin().services.delete.mutate({ id: created.id })).toEqual({ id: created.id });
    const asAdmin = await callerAs(api, TEST.adminUsername);
    const gone = await trpcError(() => asAdmin.services.get({ id: created.id }));
    expect(gone.code).toBe('NOT_FOUND');
  });

  it('errors carry the pages’ messages and codes', async () => {
    const asAdmin = await callerAs(api, TEST.adminUsername);
    const bad = await trpcError(() => asAdmin.services.create({ name: 'X', type: 'flat_rate' }));
    expect([bad.code, bad.message]).toEqual(['BAD_REQUEST', 'Flat Rate Service must have quantity']);
    const price = await trpcError(() => asAdmin.services.create({ name: 'X', type: 'one_time_fee', price: '1.2.3' }));
    expect(price.message).toBe('Service Price must be numeric');
  });

  it('scoped like the XML side: a reseller its own, a simple user nothing, an accountant by its right', async () => {
    const r1 = await insertService(api, { ownerId: w.r1.id, name: 'R1 svc' });
    const admins = await insertService(api, { name: 'Admin svc' });
    const asR1 = await callerAs(api, w.r1.username);
    expect((await asR1.services.list()).map((s) => s.id)).toEqual([r1]);
    expect((await trpcError(() => asR1.services.get({ id: admins }))).code).toBe('NOT_FOUND');
    const asR2 = await callerAs(api, w.r2.username);
    expect((await trpcError(() => asR2.services.delete({ id: r1 }))).code).toBe('NOT_FOUND');
    const asUser = await callerAs(api, w.user.username);
    expect((await trpcError(() => asUser.services.list())).code).toBe('FORBIDDEN');
    const blind = await callerAs(api, w.accSvcBlind.username);
    expect(await blind.services.get({ id: admins })).toMatchObject({ price: null, selfCost: null });
    const reader = await callerAs(api, w.accSvcRead.username);
    expect((await trpcError(() => reader.services.update({ id: admins, name: 'Z' }))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => reader.services.get({ id: r1 }))).code).toBe('NOT_FOUND');
  });
});
