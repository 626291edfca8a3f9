import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardgroups } from '../../src/db/schema/cards.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import {
  createCardGroup,
  createDialplan,
  createLcr,
  createLocation,
  createTariff,
  createTax,
} from '../helpers/factories.ts';
import { type CardCallers, cardCallers, successXml } from './cardsWorld.ts';

const api = useTestApp();
const UPDATED = successXml('Card Group was successfully updated');
const H = ['cc_Group_id'];
let w: CardCallers;
let adminGroup: Awaited<ReturnType<typeof createCardGroup>>;
let r1Group: Awaited<ReturnType<typeof createCardGroup>>;
let refs: Record<'tariff' | 'lcr' | 'location' | 'tax' | 'dialplan' | 'otherDialplan', number>;

const group = async (id: number) => (await api.handle.db.select().from(cardgroups).where(eq(cardgroups.id, id)))[0]!;
const update = (params: Record<string, string>, who = w.admin) =>
  who.call('cc_group_update', { cc_Group_id: String(adminGroup.id), ...params }, H);

beforeAll(async () => {
  w = await cardCallers(api);
  adminGroup = await createCardGroup(api.handle, { name: 'Admin group', validTill: new Date('2030-01-01T00:00:00Z') });
  r1Group = await createCardGroup(api.handle, { name: 'R1 group', ownerId: w.r1.id });
  refs = {
    tariff: (await createTariff(api.handle, { purpose: 'user' })).id,
    lcr: (await createLcr(api.handle)).id,
    location: (await createLocation(api.handle)).id,
    tax: (await createTax(api.handle, { tax1Value: '10' })).id,
    dialplan: (await createDialplan(api.handle, { dptype: 'callingcard' })).id,
    otherDialplan: (await createDialplan(api.handle, { dptype: 'callingcard', ownerId: w.r1.id })).id,
  };
});

describe('cc_group_update', () => {
  it('updates nothing but answers success for the seed request (hash = sha1(cc_Group_id + key))', async () => {
    expect((await update({})).body).toBe(UPDATED);
    expect((await group(adminGroup.id)).name).toBe('Admin group');
  });

  it('changes only the sent fields, tax as a copy; number and PIN lengths stay', async () => {
    const params = {
      name: 'Gold 10',
      description: 'scratch',
      price_with_vat: '10',
      setup_fee: '1',
      ghost_min_perc: '120',
      ghost_balance_perc: '130',
      daily_charge: '0.2',
      tariff_id: String(refs.tariff),
      lcr_id: String(refs.lcr),
      date_from: '1446721871',
      dialplan_id: String(refs.dialplan),
      location_id: String(refs.location),
      tax_id: String(refs.tax),
      valid_after_first_use: '7',
      use_external_function: '1',
      allow_loss_calls: '1',
      tell_cents: '1',
      tell_balance_in_currency: 'USD',
      solo_pinless: '1',
      disable_voucher: '1',
      callerid_leave: '1',
      number_length: '5',
      pin_length: '3',
    };
    expect((await update(params)).body).toBe(UPDATED);
    const g = await group(adminGroup.id);
    expect(g).toMatchObject({
      name: 'Gold 10',
      description: 'scratch',
      price: '10.000000',
      setupFee: '1.000000',
      ghostMinPerc: '120.000000',
      ghostBalancePerc: '130.000000',
      dailyCharge: '0.200000',
      tariffId: refs.tariff,
      lcrId: refs.lcr,
      dialplanId: refs.dialplan,
      locationId: refs.location,
      validAfterFirstUse: 7,
      useExternalFunction: true,
      soloPinless: true,
      calleridLeave: true,
      numberLength: 10,
      pinLength: 6,
    });
    expect(g.taxId).not.toBe(refs.tax);
    expect(g.validFrom.toISOString()).toBe('2015-11-05T11:11:11.000Z');
    expect(g.validTill?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect((await update({ use_external_function: '0' })).body).toBe(UPDATED);
    expect((await group(adminGroup.id)).useExternalFunction).toBe(false);
  });

  it('accepts the cc_group_id spelling (hashed the same way); two different ids are a wrong id', async () => {
    const id = String(adminGroup.id);
    expect((await w.admin.call('cc_group_update', { cc_group_id: id }, ['cc_group_id'])).body).toBe(UPDATED);
    const both = await w.admin.call('cc_group_update', { cc_Group_id: id, cc_group_id: String(r1Group.id) }, H);
    expect(both.body).toBe(pageStatusErrorXml('Wrong Card Group ID'));
  });

  it('never accepts sha1(key) alone: the id is hashed whichever spelling carries it', async () => {
    const id = String(adminGroup.id);
    const before = await group(adminGroup.id);
    for (const spelling of ['cc_Group_id', 'cc_group_id']) {
      const res = await w.admin.call('cc_group_update', { [spelling]: id, name: 'Stolen' }, []);
      expect(res.body).toBe(statusErrorXml('Incorrect hash'));
      const other = spelling === 'cc_Group_id' ? 'cc_group_id' : 'cc_Group_id';
      expect((await w.admin.call('cc_group_update', { [spelling]: id, name: 'Stolen' }, [other])).body).toBe(
        statusErrorXml('Incorrect hash'),
      );
    }
    expect((await group(adminGroup.id)).name).toBe(before.name);
    // Both spellings with the same id: hashed once.
    const both = await w.admin.call('cc_group_update', { cc_Group_id: id, cc_group_id: id }, H);
    expect(both.body).toBe(UPDATED);
  });

  it('answers every documented error string, first failure wins, nothing saved', async () => {
    const before = await group(adminGroup.id);
    const cases: [Record<string, string>, string][] = [
      [{ cc_Group_id: 'abc' }, 'Wrong Card Group ID'],
      [{ cc_Group_id: '999999' }, 'Card Group not found'],
      [{ use_external_function: '2' }, 'Invalid use external function parameter, should be: 0 or 1'],
      [{ allow_loss_calls: '2' }, 'Invalid allow loss calls parameter, should be: 0 or 1'],
      [{ tell_cents: '2' }, 'Invalid tell cents parameter, should be: 0 or 1'],
      [{ solo_pinless: '2' }, 'Invalid solo pinless parameter, should be: 0 or 1'],
      [{ disable_voucher: '2' }, 'Invalid disable voucher parameter, should be: 0 or 1'],
      [{ hidden: '2' }, 'Invalid hidden parameter, should be: 0 or 1'],
      [{ callerid_leave: '2' }, 'Invalid callerid leave parameter, should be: 0 or 1'],
      [{ date_from: 'x' }, 'Invalid date from'],
      [{ date_till: 'x' }, 'Invalid date till'],
      // compared with the stored valid-till (2030) when only date_from is sent
      [{ date_from: '1999999999' }, 'Date from is greater than date till'],
      [{ tariff_id: '999999' }, 'Invalid Tariff id'],
      [{ lcr_id: '999999' }, 'Invalid Lcr id'],
      [{ dialplan_id: '999999' }, 'Invalid Dialplan id'],
      [{ dialplan_id: String(refs.otherDialplan) }, 'Invalid Dialplan id'],
      [{ location_id: '999999' }, 'Invalid Location id'],
      [{ tell_balance_in_currency: 'XXX' }, 'Invalid Currency'],
      [{ tax_id: '999999' }, 'Tax not found'],
      [{ price_with_vat: '-10' }, 'Invalid Price with TAX'],
      [{ name: '' }, 'Card Group must have name'],
      [{ setup_fee: 'x' }, 'Setup fee is incorrect format'],
      [{ valid_after_first_use: 'x' }, 'Valid after first use is incorrect format'],
      [{ hidden: '2', date_from: 'x' }, 'Invalid hidden parameter, should be: 0 or 1'],
      [{ tax_id: '999999', price_with_vat: '-1' }, 'Tax not found'],
      [{ price_with_vat: '-1', name: '' }, 'Invalid Price with TAX'],
    ];
    for (const [params, message] of cases) {
      const res = await w.admin.call('cc_group_update', { cc_Group_id: String(adminGroup.id), ...params }, H);
      expect(res.body, JSON.stringify(params)).toBe(pageStatusErrorXml(message));
    }
    expect(await group(adminGroup.id)).toEqual(before);
  });

  it('answers Bad login for an unknown caller and Access Denied for a simple user', async () => {
    const unknown = await api.call('cc_group_update', { u: 'nobody', cc_Group_id: '1' }, { hashOf: H });
    expect(unknown.body).toBe(pageStatusErrorXml('Bad login'));
    expect((await update({}, w.user)).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await update({ hash: 'bad' })).body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('needs the calling-card right at write level (accountants also See Financial Data)', async () => {
    for (const who of [w.accR, w.accNoFin, w.accNone, w.rNo]) {
      expect((await update({ name: 'no' }, who)).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
    expect((await update({ name: 'by accountant' }, w.accW)).body).toBe(UPDATED);
    expect((await group(adminGroup.id)).name).toBe('by accountant');
  });

  it('keeps resellers to their own groups: another realm’s group is not found', async () => {
    const r1 = (who: typeof w.r1, id: number, params: Record<string, string> = {}) =>
      who.call('cc_group_update', { cc_Group_id: String(id), ...params }, H);
    expect((await r1(w.r1, r1Group.id, { name: 'mine', dialplan_id: String(refs.otherDialplan) })).body).toBe(UPDATED);
    expect((await r1(w.r2, r1Group.id, { name: 'stolen' })).body).toBe(pageStatusErrorXml('Card Group not found'));
    expect((await r1(w.r1, adminGroup.id, { name: 'stolen' })).body).toBe(pageStatusErrorXml('Card Group not found'));
    expect((await r1(w.accW, r1Group.id, { name: 'stolen' })).body).toBe(pageStatusErrorXml('Card Group not found'));
    expect((await group(r1Group.id)).name).toBe('mine');
    // the admin manages every realm's groups
    expect((await r1(w.admin, r1Group.id, { description: 'checked' })).body).toBe(UPDATED);
  });

  it('hides a group with hidden=1 and restores it with hidden=0', async () => {
    expect((await update({ hidden: '1' })).body).toBe(UPDATED);
    expect((await group(adminGroup.id)).hidden).toBe(true);
    expect((await update({ hidden: '0' }, w.admin)).body).toBe(UPDATED);
    expect((await group(adminGroup.id)).hidden).toBe(false);
  });
});
