import { describe, expect, it } from 'vitest';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createUser, insertCard, setConflines } from '../helpers/factories.ts';
import { successXml } from './cardsWorld.ts';

/** The wiki's request examples with their documented digests, ids and keys (fresh database: ids from 1). */
const api = useTestApp();

const useKey = async (key: string) => {
  await setConflines(api.handle, 0, { api_secret_key: key });
  api.changed();
};

describe('documented examples of the calling-card pages', () => {
  it('cc_group_update: the correct digest for cc_Group_id=1 works, the page’s copied one does not', async () => {
    const first = await createCardGroup(api.handle, { name: 'one' });
    expect(first.id).toBe(1);
    const ok = await api.call(
      'cc_group_update',
      { u: 'admin', cc_Group_id: '1' },
      { hash: 'bc2f114099d16656d37e45fd9e8744cb9386d462' },
    );
    expect(ok.body).toBe(successXml('Card Group was successfully updated'));
    const copied = await api.call(
      'cc_group_update',
      { u: 'admin', cc_Group_id: '1' },
      { hash: '7e112ededcfee097cce21b6201c6d2a00dda1f4c' },
    );
    expect(copied.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('calling_card_update: card_id=1 with the documented digest (card_id + key)', async () => {
    const group = await createCardGroup(api.handle, { pinLength: 4 });
    const card = await insertCard(api.handle, group, { number: '1000000000', pin: '0001' });
    expect(card.id).toBe(1);
    const u1 = await createUser(api.handle);
    const u2 = await createUser(api.handle);
    expect([u1.id, u2.id]).toEqual([1, 2]);
    const res = await api.call(
      'calling_card_update',
      {
        u: 'admin',
        card_id: '1',
        number: '4673451679',
        name: 'card',
        pin: '7468',
        batch_number: '5456484',
        callerid: '2',
        min_balance: '5',
        daily_charge_paid_till: '1446721871',
        language: 'en',
        distributor: '2',
      },
      { hash: 'bc2f114099d16656d37e45fd9e8744cb9386d462' },
    );
    expect(res.body).toBe(`${XML_DECL}\n<page>\n  <success>Calling Card successfully updated</success>\n</page>\n`);
  });

  it('card_group_get and buy_card_from_callingroup: id=6 with key 456789', async () => {
    let group = await createCardGroup(api.handle, { name: 'filler' });
    while (group.id < 6) group = await createCardGroup(api.handle, { name: 'Gold 10', price: '10' });
    for (let i = 0; i < 3; i++) {
      await insertCard(api.handle, group, { number: String(1000000031 + i), pin: String(482600 + i), balance: '10' });
    }
    await useKey('456789');
    const get = await api.call(
      'card_group_get',
      { u: 'admin', id: '6' },
      { hash: '67df827dec80a7241fb3fc4de22a90e62c5e8d93' },
    );
    expect(get.body).toContain('<free_cards_size>3</free_cards_size>');
    const sell = await api.call(
      'buy_card_from_callingroup',
      { u: 'admin', id: '6', quantity: '2' },
      { hash: '37086d860581fabc278413cd1a417d5c079f6eba' },
    );
    expect(sell.body.match(/<card>/g)).toHaveLength(2);
  });

  it('card_balance_get: number 1111111000 with key secretkey', async () => {
    const group = await createCardGroup(api.handle);
    await insertCard(api.handle, group, { number: '1111111000', pin: '999999', balance: '25.42' });
    await useKey('secretkey');
    const res = await api.call(
      'card_balance_get',
      { u: 'admin', number: '1111111000' },
      { hash: '0d43cbd508a63230032ef593089833543ea297ea' },
    );
    expect(res.body).toContain('<balance>25.42</balance>');
  });

  it('cc_group_create: the page’s copied digest is refused, sha1(name + key) accepted', async () => {
    await useKey('secret');
    const bad = await api.call(
      'cc_group_create',
      { u: 'admin', name: 'card_group_test' },
      { hash: '7e112ededcfee097cce21b6201c6d2a00dda1f4c' },
    );
    expect(bad.body).toBe(statusErrorXml('Incorrect hash'));
    const good = await api.call(
      'cc_group_create',
      { u: 'admin', name: 'card_group_test' },
      { hash: '756ad8cf62a832f27a12bb670aeeaf8fca3c7782' },
    );
    expect(good.body).toBe(successXml('Card Group was successfully created'));
    const example = await api.call(
      'calling_cards_create',
      { u: 'admin', card_group_id: '1', cards_from: '1000000036', cards_till: '1000000025' },
      { hashOf: ['card_group_id', 'cards_from', 'cards_till'] },
    );
    expect(example.body).toBe(pageStatusErrorXml('Cards from must not be greater than Cards till'));
  });
});
