import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cards } from '../../src/db/schema/cards.ts';
import { payments } from '../../src/db/schema/payments.ts';
import { pageErrorXml, pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createCurrency, createTax, insertCard, setConflines } from '../helpers/factories.ts';
import { reconcileAfterEach } from '../helpers/money.ts';
import { type CardCallers, cardCallers } from './cardsWorld.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: CardCallers;
let card: Awaited<ReturnType<typeof insertCard>>;
let taxedCard: Awaited<ReturnType<typeof insertCard>>;
let r1Card: Awaited<ReturnType<typeof insertCard>>;

const balanceOf = async (id: number) => (await api.handle.db.select().from(cards).where(eq(cards.id, id)))[0]!.balance;
const balanceXml = (b: string) =>
  `${XML_DECL}\n<page>\n  <calling_card>\n    <balance>${b}</balance>\n    <currency>USD</currency>\n  </calling_card>\n</page>\n`;

beforeAll(async () => {
  w = await cardCallers(api);
  const h = api.handle;
  await createCurrency(h, 'EUR', '0.73853104');
  await createCurrency(h, 'GBP', '0.8', false);
  const group = await createCardGroup(h, { name: 'Test_cardgroup' });
  card = await insertCard(h, group, { number: '1111111001', pin: '100001', balance: '30.3946220484454', sold: true });
  await insertCard(h, group, { number: '1111111002', pin: '100002', balance: '25.42' });
  await insertCard(h, group, { number: '1111111003', pin: '100003', sold: true, hidden: true });
  const taxed = await createCardGroup(h, { taxId: (await createTax(h, { tax1Value: '21' })).id });
  taxedCard = await insertCard(h, taxed, { number: '1111111004', pin: '100004', sold: true });
  const r1Group = await createCardGroup(h, { ownerId: w.r1.id, name: 'R1 cards' });
  r1Card = await insertCard(h, r1Group, { number: '2222222001', pin: '200001', balance: '1', sold: true });
});

describe('card_balance_get', () => {
  it('answers the stored balance without trailing zeros and the system currency (hash = sha1(number + key))', async () => {
    expect((await w.admin.call('card_balance_get', { number: '1111111002' }, ['number'])).body).toBe(
      balanceXml('25.42'),
    );
    expect((await w.admin.call('card_balance_get', { number: '1111111001' }, ['number'])).body).toBe(
      balanceXml('30.394622'),
    );
  });

  it('lets resellers read their own cards, accountants with the right the admin’s, the admin all', async () => {
    expect((await w.r1.call('card_balance_get', { number: '2222222001' }, ['number'])).body).toBe(balanceXml('1.0'));
    expect((await w.admin.call('card_balance_get', { number: '2222222001' }, ['number'])).body).toBe(balanceXml('1.0'));
    expect((await w.accR.call('card_balance_get', { number: '1111111002' }, ['number'])).body).toBe(
      balanceXml('25.42'),
    );
  });

  it('answers Calling Card was not found for unknown, hidden and other realms’ cards', async () => {
    const cases: [typeof w.admin, string | undefined][] = [
      [w.admin, '9999999999'],
      [w.admin, '1111111003'],
      [w.admin, undefined],
      [w.r2, '2222222001'],
      [w.r1, '1111111002'],
      [w.accR, '2222222001'],
    ];
    for (const [who, number] of cases) {
      const res = await who.call('card_balance_get', number === undefined ? {} : { number }, ['number']);
      expect(res.body).toBe(pageErrorXml('Calling Card was not found'));
    }
  });

  it('answers User was not found for an unknown caller and the permission string for others', async () => {
    const unknown = await api.call('card_balance_get', { u: 'ghost', number: '1' }, { hashOf: ['number'] });
    expect(unknown.body).toBe(pageErrorXml('User was not found'));
    for (const who of [w.user, w.rNo, w.accNone]) {
      expect((await who.call('card_balance_get', { number: '1111111002' }, ['number'])).body).toBe(
        pageErrorXml('You are not authorized to use this functionality'),
      );
    }
  });
});

const H = ['description', 'number', 'amount', 'currency'];

describe('card_payment_add', () => {
  it('converts, credits and records the documented example exactly', async () => {
    const params = { number: '1111111001', amount: '5', currency: 'EUR', description: 'text' };
    const res = await w.admin.call('card_payment_add', params, H);
    expect(res.body).toBe(
      `${XML_DECL}
<page>
  <status>
    <success>Calling Card balance successfully updated</success>
  </status>
  <calling_card_group>
    <name>Test_cardgroup</name>
  </calling_card_group>
  <calling_card>
    <number>1111111001</number>
  </calling_card>
  <add_payment>
    <currency>EUR</currency>
    <amount_with_tax>5</amount_with_tax>
    <details>
      <current_balance>30.394622</current_balance>
      <converted_to>USD</converted_to>
      <exchange_rate>0.73853104</exchange_rate>
      <amount_with_tax>6.770196</amount_with_tax>
      <amount_without_tax>6.770196</amount_without_tax>
      <new_balance>37.164818</new_balance>
      <description>text</description>
    </details>
  </add_payment>
</page>
`,
    );
    expect(await balanceOf(card.id)).toBe('37.164818');
    const [payment] = await api.handle.db.select().from(payments).where(eq(payments.cardId, card.id));
    expect(payment).toMatchObject({
      paymenttype: 'Card',
      currency: 'EUR',
      amount: '5.000000',
      tax: '0.000000',
      gross: '5.000000',
      exchangeRate: '0.738531040000',
      comment: 'text',
      completed: true,
      ownerId: 0,
      userId: null,
      balanceBefore: '30.394622',
      balanceAfter: '37.164818',
    });
  });

  it('removes the group tax before crediting; the system currency is the default, rate 1', async () => {
    const res = await w.admin.call('card_payment_add', { number: '1111111004', amount: '12.1' }, H);
    expect(res.body).toContain('<exchange_rate>1.0</exchange_rate>');
    expect(res.body).toContain('<amount_without_tax>10.0</amount_without_tax>');
    expect(res.body).toContain('<description></description>');
    expect(await balanceOf(taxedCard.id)).toBe('10.000000');
    const [payment] = await api.handle.db.select().from(payments).where(eq(payments.cardId, taxedCard.id));
    expect(payment).toMatchObject({ currency: 'USD', amount: '10.000000', tax: '2.100000', gross: '12.100000' });
  });

  it('hashes description, number, amount, currency in that order', async () => {
    const params = { number: '1111111001', amount: '1', currency: 'USD', description: 'd' };
    const wrong = await w.admin.call('card_payment_add', params, ['number', 'amount', 'currency', 'description']);
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers the documented strings; nothing is credited on failure', async () => {
    const before = await balanceOf(card.id);
    const cases: [Record<string, string>, string][] = [
      [{ number: '1111111002', amount: '1' }, 'Calling Card was not found'], // not sold
      [{ number: '9999999999', amount: '1' }, 'Calling Card was not found'],
      [{ number: '1111111003', amount: '1' }, 'Calling Card was not found'], // hidden
      [{ number: '2222222001', amount: '1' }, 'Calling Card was not found'], // a reseller's
      [{ number: '1111111001', amount: '1', currency: 'GBP' }, 'Currency disabled'],
      [{ number: '1111111001', amount: '1', currency: 'XYZ' }, 'Currency disabled'],
      [{ number: '1111111001', amount: '0' }, 'Amount is invalid'],
      [{ number: '1111111001', amount: '-5' }, 'Amount is invalid'],
      [{ number: '1111111001', amount: 'five' }, 'Amount is invalid'],
      [{ number: '1111111001' }, 'Amount is invalid'],
      [{ number: '1111111001', amount: 'five', currency: 'XYZ' }, 'Currency disabled'],
    ];
    for (const [params, message] of cases) {
      expect((await w.admin.call('card_payment_add', params, H)).body, JSON.stringify(params)).toBe(
        pageStatusErrorXml(message),
      );
    }
    expect(await balanceOf(card.id)).toBe(before);
  });

  it('answers Calling Card was not found to callers without the right, before the payments gate', async () => {
    for (const who of [w.user, w.rNo, w.accW, w.accNone]) {
      expect((await who.call('card_payment_add', { number: '1111111001', amount: '1' }, H)).body).toBe(
        pageStatusErrorXml('Calling Card was not found'),
      );
    }
    const unknown = await api.call('card_payment_add', { u: 'ghost', number: '1' }, { hashOf: H });
    expect(unknown.body).toBe(pageStatusErrorXml('Access Denied'));
  });

  it('lets a reseller top up its own sold cards only, with its own key', async () => {
    expect((await w.r1.call('card_payment_add', { number: '2222222001', amount: '2.5' }, H)).body).toContain(
      '<new_balance>3.5</new_balance>',
    );
    expect((await w.r2.call('card_payment_add', { number: '2222222001', amount: '1' }, H)).body).toBe(
      pageStatusErrorXml('Calling Card was not found'),
    );
    const [payment] = await api.handle.db.select().from(payments).where(eq(payments.cardId, r1Card.id));
    expect(payment?.ownerId).toBe(w.r1.id);
  });

  it('answers Feature Disabled while API payments are off', async () => {
    await setConflines(api.handle, 0, { allow_api_payments: '0' });
    expect((await w.admin.call('card_payment_add', { number: '1111111001', amount: '1' }, H)).body).toBe(
      pageStatusErrorXml('Feature Disabled'),
    );
    expect((await w.user.call('card_payment_add', { number: '1111111001', amount: '1' }, H)).body).toBe(
      pageStatusErrorXml('Calling Card was not found'),
    );
    await setConflines(api.handle, 0, { allow_api_payments: '1' });
  });
});
