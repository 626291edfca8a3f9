import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { cardgroups } from '../../src/db/schema/cards.ts';
import { taxes } from '../../src/db/schema/users.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import {
  createCurrency,
  createLcr,
  createLocation,
  createTariff,
  createTax,
  setConflines,
} from '../helpers/factories.ts';
import { type CardCallers, cardCallers, successXml } from './cardsWorld.ts';

const api = useTestApp();
const CREATED = successXml('Card Group was successfully created');
const H = ['name'];
let w: CardCallers;
let ids: { tariff: number; lcr: number; location: number; tax: number; rLcr: number; rTariff: number };

const lastGroup = async () => (await api.handle.db.select().from(cardgroups).orderBy(desc(cardgroups.id)).limit(1))[0]!;
const groupCount = async () => (await api.handle.db.select().from(cardgroups)).length;

beforeAll(async () => {
  w = await cardCallers(api);
  await createCurrency(api.handle, 'EUR', '0.9');
  ids = {
    tariff: (await createTariff(api.handle, { name: 'Test Tariff for Users', purpose: 'user' })).id,
    lcr: (await createLcr(api.handle, 0, 'Primary')).id,
    location: (await createLocation(api.handle, 0)).id,
    tax: (await createTax(api.handle, { tax1Value: '21' })).id,
    rLcr: (await createLcr(api.handle, w.r1.id, 'Reseller LCR')).id,
    rTariff: (await createTariff(api.handle, { ownerId: w.r1.id, purpose: 'user' })).id,
  };
});

describe('cc_group_create', () => {
  it('creates an admin group with defaults from the seed request (hash = sha1(name + key))', async () => {
    const res = await w.admin.call('cc_group_create', { name: 'card_group_test' }, H);
    expect(res.body).toBe(CREATED);
    const group = await lastGroup();
    expect(group).toMatchObject({
      name: 'card_group_test',
      ownerId: 0,
      price: '0.000000',
      ghostMinPerc: '100.000000',
      numberLength: 10,
      pinLength: 6,
      tellBalanceInCurrency: 'USD',
      validTill: null,
      taxId: null,
      hidden: false,
    });
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'cardgroup_created'));
    expect(log).toMatchObject({ userId: 0, targetId: group.id, data: 'card_group_test' });
  });

  it('refuses the seed page’s own digest, which is another page’s hash', async () => {
    const res = await w.admin.call('cc_group_create', {
      name: 'card_group_test',
      hash: '7e112ededcfee097cce21b6201c6d2a00dda1f4c',
    });
    expect(res.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('stores every optional field; the tax record is copied, not shared', async () => {
    const params = {
      name: 'Gold',
      description: 'memo',
      price_with_vat: '10.084',
      setup_fee: '0.5',
      ghost_min_perc: '120',
      ghost_balance_perc: '110.5',
      daily_charge: '0.01',
      tariff_id: String(ids.tariff),
      lcr_id: String(ids.lcr),
      location_id: String(ids.location),
      tax_id: String(ids.tax),
      date_from: '1446721871',
      date_till: '1446808271',
      number_length: '12',
      pin_length: '8',
      valid_after_first_use: '30',
      use_external_function: '1',
      allow_loss_calls: '1',
      tell_cents: '1',
      tell_balance_in_currency: 'EUR',
      solo_pinless: '1',
      disable_voucher: '1',
      callerid_leave: '1',
    };
    expect((await w.admin.call('cc_group_create', params, H, { as: 'form' })).body).toBe(CREATED);
    const g = await lastGroup();
    expect(g).toMatchObject({
      description: 'memo',
      price: '10.084000',
      setupFee: '0.500000',
      ghostMinPerc: '120.000000',
      ghostBalancePerc: '110.500000',
      dailyCharge: '0.010000',
      tariffId: ids.tariff,
      lcrId: ids.lcr,
      locationId: ids.location,
      numberLength: 12,
      pinLength: 8,
      validAfterFirstUse: 30,
      tellBalanceInCurrency: 'EUR',
      useExternalFunction: true,
      allowLossCalls: true,
      tellCents: true,
      soloPinless: true,
      disableVoucher: true,
      calleridLeave: true,
    });
    expect(g.validFrom.toISOString()).toBe('2015-11-05T11:11:11.000Z');
    expect(g.validTill?.toISOString()).toBe('2015-11-06T11:11:11.000Z');
    expect(g.taxId).not.toBe(ids.tax);
    const [copy] = await api.handle.db.select().from(taxes).where(eq(taxes.id, g.taxId!));
    expect(copy!.tax1Value).toBe('21.0000');
  });

  it('answers every documented error string, first failure wins, nothing saved', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ name: '' }, 'Card Group must have name'],
      [{ name: '  ' }, 'Card Group must have name'],
      [{ use_external_function: '2' }, 'Use external function is incorrect format'],
      [{ allow_loss_calls: 'yes' }, 'Allow loss calls is incorrect format'],
      [{ tell_cents: '-1' }, 'Tell cents is incorrect format'],
      [{ solo_pinless: 'x' }, 'Solo pinless is incorrect format'],
      [{ disable_voucher: '01' }, 'Disable voucher is incorrect format'],
      [{ callerid_leave: 'true' }, 'Callerid leave is incorrect format'],
      [{ date_from: 'yesterday' }, 'Invalid date from'],
      [{ date_till: '-5' }, 'Invalid date till'],
      [{ date_from: '2000', date_till: '1000' }, 'Date from is greater than date till'],
      [{ date_till: '1000' }, 'Date from is greater than date till'],
      [{ tariff_id: '999999' }, 'Tariff was not found'],
      [{ tariff_id: 'abc' }, 'Tariff was not found'],
      [{ lcr_id: '999999' }, 'LCR was not found'],
      [{ location_id: '999999' }, 'Location was not found'],
      [{ tell_balance_in_currency: 'usd' }, 'Currency was not found'],
      [{ price_with_vat: '-1' }, 'Invalid Price with TAX'],
      [{ price_with_vat: 'ten' }, 'Invalid Price with TAX'],
      [{ setup_fee: 'x' }, 'Setup fee is incorrect format'],
      [{ daily_charge: '-0.1' }, 'Daily charge is incorrect format'],
      [{ ghost_min_perc: '1e2' }, 'Ghost min perc is incorrect format'],
      [{ ghost_balance_perc: 'x' }, 'Ghost balance perc is incorrect format'],
      [{ number_length: '0' }, 'Number length is incorrect format'],
      [{ pin_length: '31' }, 'Pin length is incorrect format'],
      [{ valid_after_first_use: '-1' }, 'Valid after first use is incorrect format'],
      [{ tax_id: '999999' }, 'Tax not found'],
      // order: name before flags, flags before dates, tariff before price, price before tax
      [{ name: '', tell_cents: '5' }, 'Card Group must have name'],
      [{ tell_cents: '5', date_from: 'x' }, 'Tell cents is incorrect format'],
      [{ price_with_vat: '-1', tariff_id: '999999' }, 'Tariff was not found'],
      [{ price_with_vat: '-1', tax_id: '999999' }, 'Invalid Price with TAX'],
    ];
    const before = await groupCount();
    for (const [params, message] of cases) {
      const all = 'name' in params ? params : { name: 'bad', ...params };
      const res = await w.admin.call('cc_group_create', all, H);
      expect(res.body, JSON.stringify(params)).toBe(pageStatusErrorXml(message));
    }
    const missing = await w.admin.call('cc_group_create', {}, H);
    expect(missing.body).toBe(pageStatusErrorXml('Card Group must have name'));
    expect(await groupCount()).toBe(before);
  });

  it('refuses simple users and unknown callers with Access Denied, managers without the right with the seed string', async () => {
    for (const u of [w.user.username, 'nobody']) {
      const res = await api.call('cc_group_create', { u, name: 'x' }, { hashOf: H });
      expect(res.body).toBe(pageStatusErrorXml('Access Denied'));
    }
    for (const who of [w.rNo, w.accNone, w.accR, w.accNoFin]) {
      expect((await who.call('cc_group_create', { name: 'x' }, H)).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
  });

  it('lets an accountant with the right create admin groups, and a reseller its own with its own key', async () => {
    expect((await w.accW.call('cc_group_create', { name: 'acc group' }, H)).body).toBe(CREATED);
    expect((await lastGroup()).ownerId).toBe(0);
    expect((await w.r1.call('cc_group_create', { name: 'r1 group', lcr_id: String(ids.rLcr) }, H)).body).toBe(CREATED);
    expect(await lastGroup()).toMatchObject({ ownerId: w.r1.id, lcrId: ids.rLcr });
    // the admin key does not verify a reseller's request
    const wrongKey = await w.r1.call('cc_group_create', { name: 'x' }, H, { key: 'secret' });
    expect(wrongKey.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('keeps resellers off admin LCRs, locations, taxes and tariffs (unless admin tariffs are allowed)', async () => {
    const r1 = (params: Record<string, string>) => w.r1.call('cc_group_create', { name: 'r', ...params }, H);
    expect((await r1({ lcr_id: String(ids.lcr) })).body).toBe(pageStatusErrorXml('LCR was not found'));
    expect((await r1({ location_id: String(ids.location) })).body).toBe(pageStatusErrorXml('Location was not found'));
    expect((await r1({ tax_id: String(ids.tax) })).body).toBe(pageStatusErrorXml('Tax not found'));
    expect((await r1({ tariff_id: String(ids.tariff) })).body).toBe(pageStatusErrorXml('Tariff was not found'));
    expect((await w.r2.call('cc_group_create', { name: 'r', tariff_id: String(ids.rTariff) }, H)).body).toBe(
      pageStatusErrorXml('Tariff was not found'),
    );
    await setConflines(api.handle, 0, { allow_resellers_admin_tariffs: '1' });
    expect((await r1({ tariff_id: String(ids.tariff) })).body).toBe(CREATED);
    expect((await r1({ tariff_id: String(ids.rTariff) })).body).toBe(CREATED);
  });

  it("takes the owner's Default User tariff, LCR and location; one that no longer exists is left empty", async () => {
    const location = await createLocation(api.handle, w.r1.id);
    await setConflines(api.handle, w.r1.id, {
      default_user_tariff_id: String(ids.rTariff),
      default_user_lcr_id: '999999',
      default_user_location_id: String(location.id),
    });
    expect((await w.r1.call('cc_group_create', { name: 'r1 defaults' }, H)).body).toBe(CREATED);
    expect(await lastGroup()).toMatchObject({ tariffId: ids.rTariff, lcrId: null, locationId: location.id });
    await setConflines(api.handle, w.r1.id, {
      default_user_tariff_id: '999998',
      default_user_lcr_id: String(ids.rLcr),
      default_user_location_id: '999997',
    });
    expect((await w.r1.call('cc_group_create', { name: 'r1 gone' }, H)).body).toBe(CREATED);
    expect(await lastGroup()).toMatchObject({ tariffId: null, lcrId: ids.rLcr, locationId: null });
  });

  it('is served under /api too', async () => {
    expect((await w.admin.call('cc_group_create', { name: 'via api' }, H, { prefix: '/api' })).body).toBe(CREATED);
  });
});
