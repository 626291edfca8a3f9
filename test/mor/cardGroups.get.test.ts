import { beforeAll, describe, expect, it } from 'vitest';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createLcr, createTariff, createTax, insertCard } from '../helpers/factories.ts';
import { type CardCallers, cardCallers } from './cardsWorld.ts';

const api = useTestApp();
let w: CardCallers;
let seedGroup: Awaited<ReturnType<typeof createCardGroup>>;
let taxed: Awaited<ReturnType<typeof createCardGroup>>;
let r1Group: Awaited<ReturnType<typeof createCardGroup>>;

const groupXml = (fields: Record<string, string | number>) =>
  `    <cc_group>\n${Object.entries(fields)
    .map(([tag, value]) => `      <${tag}>${value}</${tag}>\n`)
    .join('')}    </cc_group>\n`;
const listXml = (...groups: string[]) =>
  `${XML_DECL}\n<page>\n  <cc_groups>\n${groups.join('')}  </cc_groups>\n</page>\n`;
/** The documented sample group: 21 visible cards (3 of them sold), one hidden card that does not count. */
const seedXml = () =>
  groupXml({
    group_id: seedGroup.id,
    group_image: 'example.jpg',
    group_name: 'Test_cardgroup',
    group_description: 'Test_cardgroup description',
    group_number_pin_length: '10/4',
    group_tarrif: 'Test Tariff for Users',
    group_lcr: 'Primary',
    group_price: '10.0840',
    group_price_without_tax: '10.0840',
    group_cards_count: 21,
    group_currency: 'USD',
  });

beforeAll(async () => {
  w = await cardCallers(api);
  const h = api.handle;
  const tariff = await createTariff(h, { name: 'Test Tariff for Users', purpose: 'user' });
  const lcr = await createLcr(h, 0, 'Primary');
  seedGroup = await createCardGroup(h, {
    name: 'Test_cardgroup',
    description: 'Test_cardgroup description',
    image: 'example.jpg',
    pinLength: 4,
    tariffId: tariff.id,
    lcrId: lcr.id,
    price: '10.084',
  });
  for (let i = 0; i < 22; i++) {
    await insertCard(h, seedGroup, {
      number: String(1000000000 + i),
      pin: String(1000 + i),
      sold: i < 3,
      hidden: i === 21,
    });
  }
  const tax = await createTax(h, { tax1Value: '21' });
  taxed = await createCardGroup(h, {
    name: 'Gold 10',
    description: '10 USD scratch card',
    image: 'gold.png',
    price: '10',
    taxId: tax.id,
  });
  await createCardGroup(h, { name: 'gone', hidden: true });
  r1Group = await createCardGroup(h, {
    name: 'R1',
    ownerId: w.r1.id,
    lcrId: (await createLcr(h, w.r1.id, 'R1 LCR')).id,
  });
});

const TAXED = {
  group_image: 'gold.png',
  group_name: 'Gold 10',
  group_description: '10 USD scratch card',
  group_number_pin_length: '10/6',
  group_tarrif: '',
  group_lcr: '',
  group_price: '12.1000',
  group_price_without_tax: '10.0000',
  group_cards_count: 0,
  group_currency: 'USD',
};

describe('cc_groups_get', () => {
  it('lists one group with the seed request and its documented hash (key only, cc_group_id not hashed)', async () => {
    const res = await api.call(
      'cc_groups_get',
      { u: 'admin', cc_group_id: String(seedGroup.id) },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    expect(res.body).toBe(listXml(seedXml()));
  });

  it('lists every visible group of every realm to the admin, by id; the LCR name only from its own realm', async () => {
    const res = await w.admin.call('cc_groups_get');
    const r1 = { ...TAXED, group_image: '', group_name: 'R1', group_description: '', group_price: '0.0000' };
    expect(res.body).toBe(
      listXml(
        seedXml(),
        groupXml({ group_id: taxed.id, ...TAXED }),
        groupXml({ group_id: r1Group.id, ...r1, group_price_without_tax: '0.0000' }),
      ),
    );
  });

  it('shows a reseller only its own groups, with its own LCR', async () => {
    const res = await w.r1.call('cc_groups_get');
    expect(res.body).toContain(`<group_id>${r1Group.id}</group_id>`);
    expect(res.body).toContain('<group_lcr>R1 LCR</group_lcr>');
    expect(res.body.match(/<cc_group>/g)).toHaveLength(1);
    const other = await w.r2.call('cc_groups_get');
    expect(other.body).toBe(pageStatusErrorXml('Calling cards groups were not found'));
    const stolen = await w.r2.call('cc_groups_get', { cc_group_id: String(r1Group.id) });
    expect(stolen.body).toBe(pageStatusErrorXml('Calling cards groups were not found'));
  });

  it('shows an accountant with the read right the admin’s groups only', async () => {
    const res = await w.accR.call('cc_groups_get');
    expect(res.body.match(/<cc_group>/g)).toHaveLength(2);
    expect(res.body).not.toContain('<group_name>R1</group_name>');
  });

  it('answers the seed strings for a wrong id, nothing found, missing rights and simple users', async () => {
    expect((await w.admin.call('cc_groups_get', { cc_group_id: 'x1' })).body).toBe(
      pageStatusErrorXml('Wrong calling cards group ID'),
    );
    expect((await w.admin.call('cc_groups_get', { cc_group_id: '999999' })).body).toBe(
      pageStatusErrorXml('Calling cards groups were not found'),
    );
    for (const who of [w.rNo, w.accNone]) {
      expect((await who.call('cc_groups_get')).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
    expect((await w.user.call('cc_groups_get')).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await api.call('cc_groups_get', { u: 'ghost' })).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await w.admin.call('cc_groups_get', {}, ['u'])).body).toBe(statusErrorXml('Incorrect hash'));
  });
});

const cardgroupXml = (f: Record<string, string | number>) =>
  `${XML_DECL}\n<page>\n  <cardgroup>\n${Object.entries(f)
    .map(([tag, value]) => `    <${tag}>${value}</${tag}>\n`)
    .join('')}  </cardgroup>\n</page>\n`;

describe('card_group_get', () => {
  it('shows the group with price, price with tax and free stock (hash = sha1(id + key))', async () => {
    const res = await w.admin.call('card_group_get', { id: String(taxed.id) }, ['id']);
    expect(res.body).toBe(
      cardgroupXml({
        name: 'Gold 10',
        iamge_link: '/billing/cards/gold.png',
        description: '10 USD scratch card',
        price: '10.0000',
        price_with_tax: '12.1000',
        currency: 'USD',
        free_cards_size: 0,
        pin_length: 6,
        number_length: 10,
      }),
    );
  });

  it('counts only unsold, visible cards as free; is served under its old name', async () => {
    const res = await w.accR.call('show_calling_card_group', { id: String(seedGroup.id) }, ['id'], { prefix: '/api' });
    expect(res.body).toContain('<free_cards_size>18</free_cards_size>');
    expect(res.body).toContain('<pin_length>4</pin_length>');
  });

  it('answers Cardgroup was not found for unknown, hidden and other realms’ groups', async () => {
    const cases: [typeof w.admin, string][] = [
      [w.admin, '999999'],
      [w.admin, 'abc'],
      [w.admin, String(r1Group.id)], // the admin's own groups only, as documented
      [w.r2, String(r1Group.id)],
      [w.r1, String(seedGroup.id)],
    ];
    for (const [who, id] of cases) {
      expect((await who.call('card_group_get', { id }, ['id'])).body).toBe(
        pageStatusErrorXml('Cardgroup was not found'),
      );
    }
    expect((await w.admin.call('card_group_get', {}, ['id'])).body).toBe(pageStatusErrorXml('Cardgroup was not found'));
    expect((await w.r1.call('card_group_get', { id: String(r1Group.id) }, ['id'])).body).toContain('<name>R1</name>');
  });

  it('answers Bad login and Access Denied as caller-level errors', async () => {
    expect((await api.call('card_group_get', { u: 'ghost', id: '1' }, { hashOf: ['id'] })).body).toBe(
      statusErrorXml('Bad login'),
    );
    for (const who of [w.user, w.rNo, w.accNone]) {
      expect((await who.call('card_group_get', { id: String(seedGroup.id) }, ['id'])).body).toBe(
        statusErrorXml('Access Denied'),
      );
    }
    expect((await w.admin.call('card_group_get', { id: String(taxed.id) })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });
});
