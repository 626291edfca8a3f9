import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createCurrency,
  createCustomRate,
  createDestination,
  createDestinationGroup,
  createReseller,
  createRetailRate,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
let wholesaleUser: number;
let retailUser: number;
let euroUser: number;

beforeAll(async () => {
  await createCurrency(api.handle, 'EUR', '0.9');
  const w = await createTariff(api.handle, { name: 'W' });
  await createWholesaleRate(api.handle, w.id, {
    prefix: '44',
    name: 'UK',
    price: '0.06',
    connectionFee: '0.1',
    increment: 30,
    minTime: 60,
  });
  await createWholesaleRate(api.handle, w.id, { prefix: '447', name: 'UK mobile', price: '0.2' });
  wholesaleUser = (await createUser(api.handle)).id;
  await setUserTariff(api.handle, wholesaleUser, w.id);
  const e = await createTariff(api.handle, { name: 'E', currency: 'EUR' });
  await createWholesaleRate(api.handle, e.id, {
    prefix: '44',
    price: '0.06',
    connectionFee: '0.1',
    increment: 30,
    minTime: 60,
  });
  euroUser = (await createUser(api.handle)).id;
  await setUserTariff(api.handle, euroUser, e.id);

  const g = await createDestinationGroup(api.handle, 'France');
  await createDestination(api.handle, { prefix: '33', name: 'France', groupId: g.id });
  const weekend = await createDestinationGroup(api.handle, 'Spain');
  await createDestination(api.handle, { prefix: '34', name: 'Spain', groupId: weekend.id });
  const r = await createTariff(api.handle, { name: 'R', purpose: 'user' });
  await createRetailRate(api.handle, r.id, g.id, [
    { price: '0.2', artype: 'event' },
    { price: '0.5', duration: 60, round: 60 },
    { price: '0.3', from: 61 },
  ]);
  await createRetailRate(api.handle, r.id, weekend.id, [
    { price: '0.4', daytype: 'WD' },
    { price: '0.1', daytype: 'FD' },
  ]);
  retailUser = (await createUser(api.handle)).id;
  await setUserTariff(api.handle, retailUser, r.id);
});

const cost = (userId: number, number: string, duration: number, at?: string) =>
  clientWith(api, TEST.adminToken).calculator.cost.query({ userId, number, duration, at });

describe('calculator.cost', () => {
  it('prices wholesale calls: minimal time, increments, connection fee; nothing for an unanswered call', async () => {
    expect(await cost(wholesaleUser, '+44 20 7946 0000', 15)).toMatchObject({
      source: 'wholesale',
      destination: { name: 'UK', prefix: '44' },
      currency: 'USD',
      rate: '0.06',
      connectionFee: '0.1',
      increment: 30,
      minTime: 60,
      billedSeconds: 60,
      price: '0.160000',
      systemCurrency: 'USD',
      priceInSystemCurrency: '0.160000',
    });
    expect(await cost(wholesaleUser, '442079460000', 61)).toMatchObject({ billedSeconds: 90, price: '0.190000' });
    expect(await cost(wholesaleUser, '442079460000', 0)).toMatchObject({ billedSeconds: 0, price: '0.000000' });
    expect(await cost(wholesaleUser, '447700900000', 7)).toMatchObject({
      destination: { name: 'UK mobile', prefix: '447' },
      billedSeconds: 7,
      price: '0.023333',
    });
  });

  it('converts to the system currency with the stored exchange rate', async () => {
    expect(await cost(euroUser, '442079460000', 61)).toMatchObject({
      currency: 'EUR',
      price: '0.190000',
      priceInSystemCurrency: '0.211111',
    });
  });

  it('bills retail intervals one by one, and picks the band of the call time (work or free day)', async () => {
    expect(await cost(retailUser, '33123456', 90)).toMatchObject({
      source: 'retail',
      rate: '0.5',
      billedSeconds: 90,
      price: '0.850000',
    });
    expect(await cost(retailUser, '33123456', 10)).toMatchObject({ billedSeconds: 60, price: '0.700000' });
    expect(await cost(retailUser, '34123456', 60, '2030-06-15T12:00:00Z')).toMatchObject({
      rate: '0.1',
      price: '0.100000',
    });
    expect(await cost(retailUser, '34123456', 60, '2030-06-17T12:00:00Z')).toMatchObject({
      rate: '0.4',
      price: '0.400000',
    });
  });

  it('uses a custom rate before the tariff', async () => {
    const user = await createUser(api.handle);
    await setUserTariff(
      api.handle,
      user.id,
      (await api.handle.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, retailUser) }))!.tariffId,
    );
    const group = await api.handle.db.query.destinationgroups.findFirst({ where: (g, { eq }) => eq(g.name, 'France') });
    await createCustomRate(api.handle, user.id, group!.id, [{ price: '0.12' }]);
    expect(await cost(user.id, '33123456', 30)).toMatchObject({ source: 'custom', rate: '0.12', price: '0.060000' });
  });

  it('answers NOT_FOUND for no rate, unknown or other tenants users', async () => {
    const caller = await callerAs(api, 'admin');
    expect(
      (await trpcError(() => caller.calculator.cost({ userId: wholesaleUser, number: '999', duration: 5 }))).code,
    ).toBe('NOT_FOUND');
    expect((await trpcError(() => caller.calculator.cost({ userId: 999_999, number: '44', duration: 5 }))).code).toBe(
      'NOT_FOUND',
    );
    const reseller = await createReseller(api.handle);
    const asR = await callerAs(api, reseller.username);
    expect(
      (await trpcError(() => asR.calculator.cost({ userId: wholesaleUser, number: '44', duration: 5 }))).code,
    ).toBe('NOT_FOUND');
  });
});
