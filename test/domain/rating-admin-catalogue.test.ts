import { describe, expect, it } from 'vitest';
import { getRate } from '../../src/domain/rating/getRate.ts';
import { callerAs, clientWith, ctxFor, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createAccountant,
  createReseller,
  createRetailRate,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

describe('destinations.*, destinationGroups.*, integrity.destinations', () => {
  it('manages directions, destinations and groups; the Integrity Check lists ungrouped destinations', async () => {
    const c = admin();
    // Every install has the ISO 3166-1 countries; a new direction gets an id above their numeric codes.
    const own = await c.destinations.createDirection.mutate({ name: 'Testland', code: 'TST' });
    expect(own.id).toBeGreaterThan(1000);
    expect(
      (
        await trpcError(() =>
          callerAs(api, 'admin').then((x) => x.destinations.createDirection({ name: 'L', code: 'LTU' })),
        )
      ).code,
    ).toBe('CONFLICT');
    const mob = await c.destinations.create.mutate({
      prefix: '370685',
      name: 'Lithuania MOB',
      directionCode: 'LTU',
      subcode: 'MOB',
    });
    const fix = await c.destinations.create.mutate({ prefix: '370', name: 'Lithuania FIX', directionCode: 'LTU' });
    expect(mob).toMatchObject({
      prefix: '370685',
      direction: 'Lithuania',
      destinationGroupId: 0,
      destinationGroup: '',
    });
    const group = await c.destinationGroups.create.mutate({ name: 'Lithuania MOB', desttype: 'MOB' });
    expect(await c.integrity.destinations.query()).toEqual([
      expect.objectContaining({ prefix: '370', suggestedGroupId: null }),
      expect.objectContaining({ prefix: '370685', suggestedGroupId: group.id }),
    ]);
    expect(await c.destinationGroups.assign.mutate({ id: group.id, destinationIds: [mob.id] })).toEqual({
      assigned: 1,
    });
    expect((await c.integrity.destinations.query()).map((d) => d.prefix)).toEqual(['370']);
    expect((await c.destinations.list.query({ destinationGroupId: group.id })).items.map((d) => d.id)).toEqual([
      mob.id,
    ]);
    expect((await c.destinationGroups.list.query()).find((g) => g.id === group.id)?.destinationsCount).toBe(1);
    const updated = await c.destinations.update.mutate({ id: fix.id, name: 'Lithuania fixed' });
    expect(updated.name).toBe('Lithuania fixed');
    expect(
      (
        await trpcError(() =>
          callerAs(api, 'admin').then((x) => x.destinations.create({ prefix: '370', name: 'again' })),
        )
      ).code,
    ).toBe('CONFLICT');
  });

  it('refuses deleting destinations with rates and groups with retail rates; resellers only read', async () => {
    const caller = await callerAs(api, 'admin');
    const t = await createTariff(api.handle, { name: 'W' });
    await createWholesaleRate(api.handle, t.id, { prefix: '49', price: '0.1' });
    const [de] = (await caller.destinations.list({ prefix: '49' })).items;
    expect((await trpcError(() => caller.destinations.delete({ id: de!.id }))).code).toBe('CONFLICT');
    const g = await caller.destinationGroups.create({ name: 'Germany' });
    const retail = await createTariff(api.handle, { name: 'R', purpose: 'user' });
    await createRetailRate(api.handle, retail.id, g.id, [{ price: '0.2' }]);
    expect((await trpcError(() => caller.destinationGroups.delete({ id: g.id }))).code).toBe('CONFLICT');
    const empty = await caller.destinationGroups.create({ name: 'Empty' });
    expect(await caller.destinationGroups.delete({ id: empty.id })).toEqual({ deleted: true });
    const reseller = await createReseller(api.handle);
    const asR = await callerAs(api, reseller.username);
    expect((await asR.destinations.list({})).total).toBeGreaterThan(0);
    expect((await trpcError(() => asR.destinations.create({ prefix: '1', name: 'x' }))).code).toBe('FORBIDDEN');
    expect((await trpcError(() => asR.integrity.destinations())).code).toBe('FORBIDDEN');
  });
});

describe('customRates.*', () => {
  it('sets a custom rate for a retail user, which rate_get then answers; wholesale users cannot have one', async () => {
    const caller = await callerAs(api, 'admin');
    const g = await caller.destinationGroups.create({ name: 'Custom G' });
    await caller.destinations.create({ prefix: '3712', name: 'Custom dest', destinationGroupId: g.id });
    const retail = await createTariff(api.handle, { name: 'Retail C', purpose: 'user' });
    await createRetailRate(api.handle, retail.id, g.id, [{ price: '0.7' }]);
    const user = await createUser(api.handle);
    await setUserTariff(api.handle, user.id, retail.id);
    await caller.customRates.set({ userId: user.id, destinationGroupId: g.id, bands: [{ price: '0.5' }] });
    const listed = await caller.customRates.list({ userId: user.id });
    expect(listed.currency).toBe('USD');
    expect(listed.rates).toEqual([
      expect.objectContaining({
        destinationGroup: 'Custom G',
        bands: [expect.objectContaining({ price: '0.5', from: 1, duration: -1 })],
      }),
    ]);
    const ctx = await ctxFor(api, 'admin');
    const settings = { showRatesForUsers: true, allowResellersAdminTariffs: false };
    const rate = (prefix: string) => getRate(ctx, { username: user.username, prefix, byFullDst: true }, settings);
    expect(await rate('371234')).toEqual([{ price: '0.5', name: 'Custom dest', prefix: '3712' }]);
    await caller.customRates.delete({ userId: user.id, destinationGroupId: g.id });
    expect(await rate('371234')).toEqual([{ price: '0.7', name: 'Custom dest', prefix: '3712' }]);

    const wholesaleUser = await createUser(api.handle);
    await setUserTariff(api.handle, wholesaleUser.id, (await createTariff(api.handle)).id);
    const bad = await trpcError(() =>
      caller.customRates.set({ userId: wholesaleUser.id, destinationGroupId: g.id, bands: [{ price: '1' }] }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    const other = await createReseller(api.handle);
    const asOther = await callerAs(api, other.username);
    expect((await trpcError(() => asOther.customRates.list({ userId: user.id }))).code).toBe('NOT_FOUND');
  });
});

describe('currencies.*', () => {
  it('creates and updates currencies, sets exchange rates exactly and converts in SQL', async () => {
    const c = admin();
    const eur = await c.currencies.create.mutate({ name: 'EUR', fullName: 'Euro', exchangeRate: '0.7351' });
    expect(eur).toMatchObject({ name: 'EUR', exchangeRate: '0.735100000000', isDefault: false, currUpdate: false });
    expect(await c.currencies.updateExchangeRate.mutate({ currency: 'EUR', rate: '0.73853104' })).toEqual({
      updated: true,
    });
    expect(await c.currencies.convert.query({ amount: '5', from: 'EUR', to: 'USD' })).toEqual({ amount: '6.770196' });
    expect(await c.currencies.convert.query({ amount: '10', from: 'USD', to: 'EUR' })).toEqual({ amount: '7.385310' });
    const [usd] = await c.currencies.list.query();
    expect(usd).toMatchObject({ name: 'USD', isDefault: true, exchangeRate: '1.000000000000' });
    const caller = await callerAs(api, 'admin');
    expect((await trpcError(() => caller.currencies.update({ id: usd!.id, exchangeRate: '2' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await trpcError(() => caller.currencies.updateExchangeRate({ currency: 'USD', rate: '2' }))).code).toBe(
      'NOT_FOUND',
    );
    await caller.currencies.update({ id: eur.id, currUpdate: true });
    expect((await trpcError(() => caller.currencies.updateExchangeRate({ currency: 'EUR', rate: '2' }))).code).toBe(
      'NOT_FOUND',
    );
    await createTariff(api.handle, { name: 'In euro', currency: 'EUR' });
    expect((await trpcError(() => caller.currencies.update({ id: eur.id, active: false }))).code).toBe('CONFLICT');
    const accountant = await createAccountant(api.handle, { tariffs_manage: 2 });
    const asAcc = await callerAs(api, accountant.username);
    expect((await trpcError(() => asAcc.currencies.create({ name: 'GBP', exchangeRate: '0.8' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});
