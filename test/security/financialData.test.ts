import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { callerAs } from '../helpers/admin.ts';
import { pageErrorXml, useTestApp } from '../helpers/app.ts';
import { createAccountant, createCardGroup, createUser, insertCard } from '../helpers/factories.ts';

/**
 * An accountant without "See financial data" reads no money (issue #10 §4): user_balance_get refuses
 * it, and user_details_get, users.list and users.get show the same user without balance or credit.
 */
const api = useTestApp();
let blind: { id: number; username: string };
let seeing: { id: number; username: string };
let customer: { id: number; username: string };

const details = (who: string, userId: number) =>
  api.call('user_details_get', { u: who, user_id: String(userId) }, { hashOf: ['user_id'] }).then((r) => r.body);

beforeAll(async () => {
  blind = await createAccountant(api.handle, { users_manage: 2 });
  seeing = await createAccountant(api.handle, { users_manage: 2, see_financial_data: 1 });
  customer = await createUser(api.handle, { balance: '123.456' });
  await api.handle.db.update(users).set({ credit: '77' }).where(eq(users.id, customer.id));
});

describe('money fields need See financial data', () => {
  it('user_balance_get refuses the accountant without it', async () => {
    const res = await api.call(
      'user_balance_get',
      { u: blind.username, username: customer.username },
      {
        hashOf: ['username'],
      },
    );
    expect(res.body).not.toContain('123.4560');
    expect(res.body).toContain('<error>');
  });

  it('user_details_get omits balance and credit tags without the right, shows them with it', async () => {
    const hidden = await details(blind.username, customer.id);
    expect(hidden).toContain('<account>Prepaid</account>');
    expect(hidden).toContain(`<username>${customer.username}</username>`);
    for (const tag of ['<balance>', '<balance_number>', '<balance_currency>', '<credit>']) {
      expect(hidden).not.toContain(tag);
    }
    expect(hidden).not.toContain('123.4560');
    expect(hidden).toContain('<main_detail>\n      <account>Prepaid</account>\n    </main_detail>');
    const shown = await details(seeing.username, customer.id);
    expect(shown).toContain('<balance>123.4560 USD</balance>');
    expect(shown).toContain('<balance_number>123.4560</balance_number>');
    expect(shown).toContain('<credit>77.0000</credit>');
    expect(pageErrorXml('x')).not.toBe(shown);
  });

  it('users.list and users.get answer null money without the right, the values with it', async () => {
    const b = await callerAs(api, blind.username);
    const listed = (await b.users.list({})).users.find((u) => u.id === customer.id)!;
    expect(listed.balance).toBeNull();
    expect(listed.credit).toBeNull();
    const got = await b.users.get({ id: customer.id });
    for (const field of [
      'balance',
      'credit',
      'dailyCreditLimit',
      'minimalCharge',
      'maxCallRate',
      'frozenBalance',
      'warningEmailBalance',
    ] as const) {
      expect(got[field], field).toBeNull();
    }
    expect(JSON.stringify(got)).not.toContain('123.456');
    const s = await callerAs(api, seeing.username);
    expect((await s.users.list({})).users.find((u) => u.id === customer.id)!.balance).toBe('123.456000');
    expect((await s.users.get({ id: customer.id })).balance).toBe('123.456000');
  });

  it('calling cards: card_balance_get refused, calling_cards_get and cards.search without balances', async () => {
    const cardBlind = await createAccountant(api.handle, { calling_cards_manage: 2 });
    const cardSeeing = await createAccountant(api.handle, { calling_cards_manage: 2, see_financial_data: 1 });
    const group = await createCardGroup(api.handle, {});
    await insertCard(api.handle, group, { number: '8100000001', pin: '810001', balance: '42.5', sold: true });
    const balance = (who: string) =>
      api.call('card_balance_get', { u: who, number: '8100000001' }, { hashOf: ['number'] }).then((r) => r.body);
    expect(await balance(cardBlind.username)).toBe(pageErrorXml('You are not authorized to use this functionality'));
    expect(await balance(cardSeeing.username)).toContain('<balance>42.5</balance>');
    const list = (who: string, extra: Record<string, string> = {}) =>
      api.call('calling_cards_get', { u: who, number: '8100000001', ...extra }, { hashOf: [] }).then((r) => r.body);
    const hidden = await list(cardBlind.username);
    expect(hidden).toContain('<card_number>8100000001</card_number>');
    expect(hidden).not.toContain('<card_balance>');
    expect(hidden).not.toContain('<card_minimal_balance>');
    expect(hidden).not.toContain('42.5');
    // A balance filter would tell the balance: it is ignored without the right.
    expect(await list(cardBlind.username, { min_balance: '1000' })).toContain('<card_number>8100000001</card_number>');
    expect(await list(cardSeeing.username)).toContain('<card_balance>42.5</card_balance>');
    expect(await list(cardSeeing.username, { min_balance: '1000' })).not.toContain('<card_number>');
    const found = await (await callerAs(api, cardBlind.username)).cards.search({ number: '8100000001' });
    expect(found.cards[0]).toMatchObject({ balance: null, minBalance: null });
    const seen = await (await callerAs(api, cardSeeing.username)).cards.search({ number: '8100000001' });
    expect(seen.cards[0]!.balance).toBe('42.500000');
  });

  it('calling-card groups: prices omitted from card_group_get and cc_groups_get, null over tRPC', async () => {
    const cardBlind = await createAccountant(api.handle, { calling_cards_manage: 1 });
    const cardSeeing = await createAccountant(api.handle, { calling_cards_manage: 1, see_financial_data: 1 });
    const group = await createCardGroup(api.handle, { price: '12.5', setupFee: '3' });
    const one = (who: string) =>
      api.call('card_group_get', { u: who, id: String(group.id) }, { hashOf: ['id'] }).then((r) => r.body);
    const blindOne = await one(cardBlind.username);
    expect(blindOne).toContain(`<name>${group.name}</name>`);
    expect(blindOne).not.toContain('<price>');
    expect(blindOne).not.toContain('<price_with_tax>');
    expect(await one(cardSeeing.username)).toContain('<price>12.5');
    const all = (who: string) =>
      api.call('cc_groups_get', { u: who, cc_group_id: String(group.id) }, { hashOf: [] }).then((r) => r.body);
    const blindAll = await all(cardBlind.username);
    expect(blindAll).toContain(`<group_name>${group.name}</group_name>`);
    expect(blindAll).not.toContain('<group_price>');
    expect(blindAll).not.toContain('<group_price_without_tax>');
    expect(await all(cardSeeing.username)).toContain('<group_price_without_tax>12.5');
    const listed = await (await callerAs(api, cardBlind.username)).cardGroups.list({ id: group.id });
    expect(listed[0]).toMatchObject({ price: null, priceWithTax: null, setupFee: null, dailyCharge: null });
  });
});
