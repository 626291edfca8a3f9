import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { cards } from '../../src/db/schema/cards.ts';
import { payments } from '../../src/db/schema/payments.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createCurrency, createTax, insertCard } from '../helpers/factories.ts';
import { type CardCallers, cardCallers } from './cardsWorld.ts';

const api = useTestApp();
const H = ['email', 'id', 'quantity'];
let w: CardCallers;
let group: Awaited<ReturnType<typeof createCardGroup>>;
let r1Group: Awaited<ReturnType<typeof createCardGroup>>;

const soldXml = (list: { pin: string; number: string; balance: string }[]) =>
  `${XML_DECL}\n<page>\n  <cards>\n${list
    .map(
      (c) =>
        `    <card>\n      <pin>${c.pin}</pin>\n      <number>${c.number}</number>\n      <balance_without_vat>${c.balance}</balance_without_vat>\n      <currency>USD</currency>\n    </card>\n`,
    )
    .join('')}  </cards>\n</page>\n`;
const sell = (who: CardCallers['admin'], params: Record<string, string>, method = 'card_from_group_sell') =>
  who.call(method, params, H);

beforeAll(async () => {
  w = await cardCallers(api);
  const h = api.handle;
  await createCurrency(h, 'EUR', '0.5');
  group = await createCardGroup(h, { price: '10', taxId: (await createTax(h, { tax1Value: '20' })).id });
  for (let i = 0; i < 6; i++) {
    await insertCard(h, group, {
      number: String(1000000030 + i),
      pin: String(482600 + i),
      balance: '10',
      sold: i === 0,
    });
  }
  await insertCard(h, group, { number: '1000000029', pin: '482699', balance: '10', hidden: true });
  r1Group = await createCardGroup(h, { ownerId: w.r1.id });
  await insertCard(h, r1Group, { number: '2000000000', pin: '900000', balance: '3' });
});

describe('card_from_group_sell', () => {
  it('sells the first free cards by number under the old name; payments carry the group tax', async () => {
    const res = await sell(w.admin, { id: String(group.id), quantity: '2' }, 'buy_card_from_callingroup');
    expect(res.body).toBe(
      soldXml([
        { pin: '482601', number: '1000000031', balance: '10.0000' },
        { pin: '482602', number: '1000000032', balance: '10.0000' },
      ]),
    );
    const sold = await api.handle.db
      .select()
      .from(cards)
      .where(inArray(cards.number, ['1000000031', '1000000032']));
    expect(sold.every((c) => c.sold)).toBe(true);
    const paid = await api.handle.db
      .select()
      .from(payments)
      .where(
        inArray(
          payments.cardId,
          sold.map((c) => c.id),
        ),
      );
    expect(paid.map((p) => [p.paymenttype, p.currency, p.amount, p.tax, p.gross])).toEqual([
      ['Card', 'USD', '10.000000', '2.000000', '12.000000'],
      ['Card', 'USD', '10.000000', '2.000000', '12.000000'],
    ]);
    const logs = await api.handle.db.select().from(actions).where(eq(actions.action, 'card_sold'));
    expect(logs.map((l) => l.data).sort()).toEqual(['1000000031', '1000000032']);
  });

  it('sells one card by number (quantity ignored), in the payment currency given by curr', async () => {
    const res = await sell(w.admin, { id: String(group.id), quantity: '3', number: '1000000035', curr: 'EUR' });
    expect(res.body).toBe(soldXml([{ pin: '482605', number: '1000000035', balance: '10.0000' }]));
    const [card] = await api.handle.db.select().from(cards).where(eq(cards.number, '1000000035'));
    const [payment] = await api.handle.db.select().from(payments).where(eq(payments.cardId, card!.id));
    expect(payment).toMatchObject({
      currency: 'EUR',
      amount: '5.000000',
      gross: '6.000000',
      exchangeRate: '0.500000000000',
    });
    expect((await sell(w.admin, { id: String(group.id), number: '1000000035' })).body).toBe(
      pageStatusErrorXml('Free cards was not found'),
    );
    expect((await sell(w.admin, { id: String(group.id), number: '1000000029' })).body).toBe(
      pageStatusErrorXml('Free cards was not found'),
    );
  });

  it('sells what is left when fewer cards are free, then answers Free cards was not found', async () => {
    const res = await sell(w.admin, { id: String(group.id), quantity: '10', email: 'buyer@example.com' });
    expect(res.body.match(/<card>/g)).toHaveLength(2);
    const [mail] = await api.handle.db.select().from(actions).where(eq(actions.action, 'card_email_not_sent'));
    expect(mail?.data).toBe('buyer@example.com');
    expect((await sell(w.admin, { id: String(group.id) })).body).toBe(pageStatusErrorXml('Free cards was not found'));
  });

  it('treats a bad quantity as 1 and hashes email, id, quantity in that order', async () => {
    const fresh = await createCardGroup(api.handle);
    for (let i = 0; i < 3; i++)
      await insertCard(api.handle, fresh, { number: String(3000000000 + i), pin: String(700000 + i) });
    expect((await sell(w.admin, { id: String(fresh.id), quantity: 'x' })).body.match(/<card>/g)).toHaveLength(1);
    expect((await sell(w.admin, { id: String(fresh.id), quantity: '0' })).body.match(/<card>/g)).toHaveLength(1);
    const wrong = await w.admin.call('card_from_group_sell', { id: String(fresh.id), quantity: '1', email: 'a@b.c' }, [
      'id',
      'quantity',
      'email',
    ]);
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers Cardgroup was not found outside the caller’s own realm', async () => {
    const hidden = await createCardGroup(api.handle, { hidden: true });
    const cases: [CardCallers['admin'], Record<string, string>][] = [
      [w.admin, {}],
      [w.admin, { id: '999999' }],
      [w.admin, { id: String(hidden.id) }],
      [w.admin, { id: String(r1Group.id) }], // the admin sells its own groups' cards
      [w.r2, { id: String(r1Group.id) }],
      [w.r1, { id: String(group.id) }],
    ];
    for (const [who, params] of cases) {
      expect((await sell(who, params)).body).toBe(pageStatusErrorXml('Cardgroup was not found'));
    }
    expect((await sell(w.r1, { id: String(r1Group.id) })).body).toContain('<number>2000000000</number>');
  });

  it('answers Bad login and Access Denied as caller-level errors', async () => {
    expect((await api.call('card_from_group_sell', { u: 'ghost', id: '1' }, { hashOf: H })).body).toBe(
      statusErrorXml('Bad login'),
    );
    for (const who of [w.user, w.rNo, w.accR, w.accNone]) {
      expect((await sell(who, { id: String(group.id) })).body).toBe(statusErrorXml('Access Denied'));
    }
  });
});
