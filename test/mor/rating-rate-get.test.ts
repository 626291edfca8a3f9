import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { destinations } from '../../src/db/schema/rating.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createCustomRate,
  createDestination,
  createDestinationGroup,
  createReseller,
  createRetailRate,
  createTariff,
  createUser,
  createWholesaleRate,
  setConflines,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
const rates = (...lines: string[]) =>
  `${XML_DECL}\n<page>\n${lines.map((l) => `  <rate>${l}</rate>\n`).join('')}</page>\n`;
const H = { hashOf: ['username'] } as const;
const day = 86_400_000;

let wholesaleUser: string;
let retailUser: string;
beforeAll(async () => {
  await setConflines(api.handle, 0, { allow_rate_over_http: '1' });
  const w = await createTariff(api.handle, { name: 'Wholesale' });
  await createWholesaleRate(api.handle, w.id, { prefix: '370', name: 'Lithuania', price: '0.987' });
  await createWholesaleRate(api.handle, w.id, { prefix: '37068', name: 'Mobile Bite', price: '0.05' });
  // A newer dated rate wins over the undated one; a future one is not yet in effect.
  await createWholesaleRate(api.handle, w.id, {
    prefix: '37068',
    price: '0.04',
    effectiveFrom: new Date(Date.now() - day),
  });
  await createWholesaleRate(api.handle, w.id, {
    prefix: '37068',
    price: '0.01',
    effectiveFrom: new Date(Date.now() + day),
  });
  await createWholesaleRate(api.handle, w.id, {
    prefix: '3706',
    name: 'Future',
    price: '9',
    effectiveFrom: new Date(Date.now() + day),
  });
  const wu = await createUser(api.handle, { username: 'wuser' });
  wholesaleUser = wu.username;
  await setUserTariff(api.handle, wu.id, w.id);

  const r = await createTariff(api.handle, { name: 'Retail', purpose: 'user', currency: 'EUR' });
  const fix = await createDestinationGroup(api.handle, 'Lithuania FIX', 'FIX');
  const mob = await createDestinationGroup(api.handle, 'Lithuania MOB', 'MOB');
  await createDestination(api.handle, { prefix: '44', name: 'UK' }); // in no group
  const ru = await createUser(api.handle, { username: 'ruser' });
  retailUser = ru.username;
  await setUserTariff(api.handle, ru.id, r.id);
  await createRetailRate(api.handle, r.id, fix.id, [{ price: '0.2' }]);
  await createRetailRate(api.handle, r.id, mob.id, [
    { price: '0.5', duration: 60 },
    { price: '0.3', from: 61 },
  ]);
  await createCustomRate(api.handle, ru.id, mob.id, [{ price: '0.25' }]);
  await reassignGroups(fix.id, mob.id);
});

async function reassignGroups(fix: number, mob: number) {
  await api.handle.db.update(destinations).set({ destinationgroupId: fix }).where(eq(destinations.prefix, '370'));
  await api.handle.db.update(destinations).set({ destinationgroupId: mob }).where(eq(destinations.prefix, '37068'));
}

const call = (params: Record<string, string>, options = {}) => api.call('rate_get', params, { ...H, ...options });

describe('rate_get', () => {
  it('answers the exact prefix with price#destination#prefix (seed 004 shape)', async () => {
    const res = await call({ u: 'admin', username: wholesaleUser, prefix: '370' });
    expect(res.body).toBe(rates('0.987#Lithuania#370'));
  });

  it('is served under the old alias rate and the /api prefix', async () => {
    const res = await api.call(
      'rate',
      { u: 'admin', username: wholesaleUser, prefix: '370' },
      { ...H, prefix: '/api' },
    );
    expect(res.body).toBe(rates('0.987#Lithuania#370'));
  });

  it('does no prefix search in legacy mode: a full number is not a prefix', async () => {
    const res = await call({ u: 'admin', username: wholesaleUser, prefix: '37068547771' });
    expect(res.body).toBe(pageErrorXml('Rate was not found'));
  });

  it('finds the longest effective prefix with by_full_dst=1; the newest effective date wins', async () => {
    const res = await call({ u: 'admin', username: wholesaleUser, prefix: '+370 685 47771', by_full_dst: '1' });
    expect(res.body).toBe(rates('0.04#Mobile Bite#37068'));
  });

  it('hashes username only: a hash that includes the prefix is refused', async () => {
    const params = { u: 'admin', username: wholesaleUser, prefix: '370' };
    expect((await api.call('rate_get', params, { hashOf: ['username', 'prefix'] })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    expect((await api.call('rate_get', params, { hash: null })).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers Feature disabled while "Allow devices to check rate over HTTP" is off', async () => {
    await setConflines(api.handle, 0, { allow_rate_over_http: '0' });
    api.changed();
    const res = await call({ u: 'admin', username: wholesaleUser, prefix: '370' });
    await setConflines(api.handle, 0, { allow_rate_over_http: '1' });
    api.changed();
    expect(res.body).toBe(pageErrorXml('Feature disabled'));
  });

  it('answers an unknown username in <page> and an unknown caller with Access Denied', async () => {
    expect((await call({ u: 'admin', username: 'nobody', prefix: '370' })).body).toBe(
      pageErrorXml('User was not found'),
    );
    expect((await call({ u: 'nobody', username: wholesaleUser, prefix: '370' })).body).toBe(
      statusErrorXml('Access Denied'),
    );
  });

  it('answers Rate was not found for an empty prefix, more than 20 digits, or an admin target', async () => {
    for (const prefix of ['', 'abc', '1'.repeat(21)]) {
      expect((await call({ u: 'admin', username: wholesaleUser, prefix })).body).toBe(
        pageErrorXml('Rate was not found'),
      );
    }
    expect((await call({ u: 'admin', username: 'admin', prefix: '370' })).body).toBe(
      pageErrorXml('Rate was not found'),
    );
  });

  it('prices retail tariffs by destination group; a custom rate replaces the tariff rate', async () => {
    expect((await call({ u: 'admin', username: retailUser, prefix: '370' })).body).toBe(rates('0.2#Lithuania#370'));
    expect((await call({ u: 'admin', username: retailUser, prefix: '37068' })).body).toBe(
      rates('0.25#Mobile Bite#37068'),
    );
    const full = await call({ u: 'admin', username: retailUser, prefix: '37051234', by_full_dst: '1' });
    expect(full.body).toBe(rates('0.2#Lithuania#370'));
  });

  it('lists every band in full-number mode: all days, work days, free days, then start time', async () => {
    const t = await createTariff(api.handle, { name: 'Banded' });
    await createWholesaleRate(api.handle, t.id, {
      prefix: '420',
      name: 'Czechia',
      price: '0',
      bands: [
        { price: '0.3', daytype: 'FD' },
        { price: '0.2', daytype: 'WD', startTime: '08:00:00', endTime: '19:59:59' },
        { price: '0.1', daytype: 'WD', startTime: '00:00:00', endTime: '07:59:59' },
      ],
    });
    const u = await createUser(api.handle);
    await setUserTariff(api.handle, u.id, t.id);
    const res = await call({ u: 'admin', username: u.username, prefix: '420123', by_full_dst: '1' });
    expect(res.body).toBe(rates('0.1#Czechia#420', '0.2#Czechia#420', '0.3#Czechia#420'));
  });

  it('answers API Requests are disabled while the API is off', async () => {
    await setConflines(api.handle, 0, { allow_api: '0' });
    api.changed();
    const res = await call({ u: 'admin', username: wholesaleUser, prefix: '370' });
    await setConflines(api.handle, 0, { allow_api: '1' });
    api.changed();
    expect(res.body).toBe(statusErrorXml('API Requests are disabled'));
  });

  it('treats a destination in no group as having no retail rate', async () => {
    expect((await call({ u: 'admin', username: retailUser, prefix: '44' })).body).toBe(
      pageErrorXml('Rate was not found'),
    );
  });
});

describe('rate_get callers', () => {
  it('lets an accountant with See Financial Data and Manage Tariffs read admin users, else refuses', async () => {
    const ok = await createAccountant(api.handle, { see_financial_data: 1, tariffs_manage: 1 });
    const no = await createAccountant(api.handle, { see_financial_data: 1 });
    expect((await call({ u: ok.username, username: wholesaleUser, prefix: '370' })).body).toBe(
      rates('0.987#Lithuania#370'),
    );
    expect((await call({ u: no.username, username: wholesaleUser, prefix: '370' })).body).toBe(
      statusErrorXml('You are not authorized to view this page'),
    );
  });

  it('lets a simple user read its own rate only while "Show rates for users" is on', async () => {
    const params = { u: wholesaleUser, username: wholesaleUser, prefix: '370' };
    expect((await call(params)).body).toBe(statusErrorXml('You are not authorized to view this page'));
    await setConflines(api.handle, 0, { show_rates_for_users: '1' });
    api.changed();
    expect((await call(params)).body).toBe(rates('0.987#Lithuania#370'));
    expect((await call({ ...params, username: retailUser })).body).toBe(statusErrorXml('User was not found'));
  });

  it('keeps resellers to their own users; admin tariffs only when allowed', async () => {
    const a = await createReseller(api.handle, 'key-a-123456');
    const b = await createReseller(api.handle, 'key-b-123456');
    const own = await createTariff(api.handle, { name: 'A retail', ownerId: a.id });
    await createWholesaleRate(api.handle, own.id, { prefix: '49', name: 'Germany', price: '0.1' });
    const aUser = await createUser(api.handle, { ownerId: a.id });
    await setUserTariff(api.handle, aUser.id, own.id);
    const ask = (u: string, key: string, username: string) => call({ u, username, prefix: '49' }, { key });
    expect((await ask(a.username, 'key-a-123456', aUser.username)).body).toBe(rates('0.1#Germany#49'));
    expect((await ask(b.username, 'key-b-123456', aUser.username)).body).toBe(statusErrorXml('User was not found'));
    expect((await ask('admin', 'secret', aUser.username)).body).toBe(statusErrorXml('User was not found'));
    expect((await ask(a.username, 'key-a-123456', wholesaleUser)).body).toBe(statusErrorXml('User was not found'));

    const adminTariff = await createTariff(api.handle, { name: 'Admin for resellers' });
    await createWholesaleRate(api.handle, adminTariff.id, { prefix: '49', price: '0.3' });
    await setUserTariff(api.handle, aUser.id, adminTariff.id);
    expect((await ask(a.username, 'key-a-123456', aUser.username)).body).toBe(pageErrorXml('Rate was not found'));
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    api.changed();
    expect((await ask(a.username, 'key-a-123456', aUser.username)).body).toBe(rates('0.3#Germany#49'));
    // The reseller's own tariff is the admin's: always readable by the reseller itself.
    await setUserTariff(api.handle, a.id, adminTariff.id);
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '0' });
    api.changed();
    expect((await ask(a.username, 'key-a-123456', a.username)).body).toBe(rates('0.3#Germany#49'));
  });
});
