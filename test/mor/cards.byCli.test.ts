import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cards } from '../../src/db/schema/cards.ts';
import { payments } from '../../src/db/schema/payments.ts';
import { users } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createTax, createUser, insertCard, insertCli, insertDevice } from '../helpers/factories.ts';
import { reconcileAfterEach } from '../helpers/money.ts';
import { type CardCallers, cardCallers } from './cardsWorld.ts';

const api = useTestApp();
reconcileAfterEach(api);
const H = ['pin', 'amount', 'callerid', 'cardgroup_id'];
let w: CardCallers;
let g1: Awaited<ReturnType<typeof createCardGroup>>;
let g2: Awaited<ReturnType<typeof createCardGroup>>;
let r1Group: Awaited<ReturnType<typeof createCardGroup>>;

const byCli = (params: Record<string, string>, who: CardCallers['admin'] = w.admin, method = 'card_by_cli_update') =>
  who.call(method, params, H);
const card = async (where: { callerid?: string; number?: string }) => {
  const [row] = await api.handle.db
    .select()
    .from(cards)
    .where(where.callerid ? eq(cards.callerid, where.callerid) : eq(cards.number, where.number!));
  return row!;
};
const cardXml = (
  c: { id: number; cardgroupId: number; callerid: string; pin: string; number: string },
  balance: string,
) =>
  `${XML_DECL}\n<page>\n  <response>\n    <status>ok</status>\n    <card>\n      <id>${c.id}</id>\n      <cardgroup_id>${c.cardgroupId}</cardgroup_id>\n      <balance>${balance}</balance>\n      <callerid>${c.callerid}</callerid>\n      <pin>${c.pin}</pin>\n      <number>${c.number}</number>\n    </card>\n  </response>\n</page>\n`;

beforeAll(async () => {
  w = await cardCallers(api);
  const h = api.handle;
  g1 = await createCardGroup(h, { taxId: (await createTax(h, { tax1Value: '25' })).id });
  g2 = await createCardGroup(h, { numberLength: 8, pinLength: 5 });
  r1Group = await createCardGroup(h, { ownerId: w.r1.id });
  await insertCard(h, g1, { number: '1000000001', pin: '500001', balance: '7', callerid: '37061111111', sold: true });
  await insertCard(h, g1, { number: '1000000002', pin: '500002', balance: '3.25', sold: true });
  await insertCard(h, g1, { number: '1000000003', pin: '500003', balance: '4' });
  await insertCard(h, r1Group, { number: '2000000001', pin: '600001', balance: '9', callerid: '37069999999' });
  const admins = await createUser(h, { balance: '1' });
  await insertCli(h, (await insertDevice(h, admins.id)).id, { cli: '37065555555' });
  const r1User = await createUser(h, { ownerId: w.r1.id });
  await insertCli(h, (await insertDevice(h, r1User.id)).id, { cli: '37066666666' });
});

describe('card_by_cli_update without a PIN (top-up)', () => {
  it('(a) creates a sold card with the CLI in the group; the amount less the group tax is its balance', async () => {
    const res = await byCli({ callerid: '37060000001', amount: '12.5', cardgroup_id: String(g1.id) });
    const made = await card({ callerid: '37060000001' });
    expect(made).toMatchObject({ cardgroupId: g1.id, balance: '10.000000', sold: true, ownerId: 0 });
    expect(made.number).toMatch(/^\d{10}$/);
    expect(made.pin).toMatch(/^\d{6}$/);
    expect(res.body).toBe(cardXml(made, '10.0000'));
    const [payment] = await api.handle.db.select().from(payments).where(eq(payments.cardId, made.id));
    expect(payment).toMatchObject({ paymenttype: 'Card', amount: '10.000000', tax: '2.500000', gross: '12.500000' });
  });

  it('(a) needs a group of the caller for a new card', async () => {
    const extras: Record<string, string>[] = [
      {},
      { cardgroup_id: '999999' },
      { cardgroup_id: String(r1Group.id) },
      { cardgroup_id: 'x' },
    ];
    for (const extra of extras) {
      expect((await byCli({ callerid: '37060000002', amount: '1', ...extra })).body).toBe(
        pageErrorXml('Supplied Cardgroup_id is invalid'),
      );
    }
  });

  it('(b) tops up the CLI’s card (in its group or with no group sent); 0 records no payment', async () => {
    const before = await card({ callerid: '37061111111' });
    expect((await byCli({ callerid: '37061111111', amount: '5' })).body).toBe(cardXml(before, '11.0000'));
    expect((await byCli({ callerid: '37061111111', amount: '1.25', cardgroup_id: String(g1.id) })).body).toBe(
      cardXml(before, '12.0000'),
    );
    expect((await byCli({ callerid: '37061111111' }, w.accW, 'cc_by_cli')).body).toBe(cardXml(before, '12.0000'));
    const paid = await api.handle.db.select().from(payments).where(eq(payments.cardId, before.id));
    expect(paid).toHaveLength(2);
  });

  it('(c) moves the CLI to a new card in another group, with the old balance; the old card is disabled', async () => {
    const old = await card({ callerid: '37061111111' });
    const res = await byCli({ callerid: '37061111111', amount: '2', cardgroup_id: String(g2.id) });
    const moved = await card({ callerid: '37061111111' });
    expect(moved).toMatchObject({ cardgroupId: g2.id, balance: '14.000000', sold: true });
    expect(moved.number).toMatch(/^\d{8}$/);
    expect(res.body).toBe(cardXml(moved, '14.0000'));
    expect(await card({ number: old.number })).toMatchObject({ hidden: true, callerid: '', balance: '0.000000' });
  });

  it('(d) tops up the user whose device has the CLI; another realm’s device CLI is refused', async () => {
    const res = await byCli({ callerid: '37065555555', amount: '2.5' });
    const [owner] = await api.handle.db.select().from(users).where(eq(users.balance, '3.500000'));
    expect(owner).toBeDefined();
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <response>\n    <status>ok</status>\n    <user>\n      <id>${owner!.id}</id>\n      <balance>3.5000</balance>\n    </user>\n  </response>\n</page>\n`,
    );
    expect((await byCli({ callerid: '37066666666', amount: '1' })).body).toBe(
      pageErrorXml('Failed to make transaction'),
    );
  });

  it('answers Failed to make transaction for a bad amount or another realm’s CLI; nothing changes', async () => {
    const before = await card({ callerid: '37061111111' });
    for (const amount of ['abc', '-1', '1e3']) {
      expect((await byCli({ callerid: '37061111111', amount })).body).toBe(pageErrorXml('Failed to make transaction'));
    }
    expect((await byCli({ callerid: '37069999999', amount: '1', cardgroup_id: String(g1.id) })).body).toBe(
      pageErrorXml('Failed to make transaction'),
    );
    expect(await card({ callerid: '37061111111' })).toEqual(before);
    expect((await card({ callerid: '37069999999' })).balance).toBe('9.000000');
  });
});

describe('card_by_cli_update with a PIN', () => {
  it('(b) gives a CLI-less PIN card the CLI and marks it sold', async () => {
    const res = await byCli({ callerid: '37062222222', pin: '500003', amount: '100' });
    const pinCard = await card({ number: '1000000003' });
    expect(pinCard).toMatchObject({ callerid: '37062222222', sold: true, balance: '4.000000' });
    expect(res.body).toBe(cardXml(pinCard, '4.0000'));
  });

  it('(c) does nothing when the PIN card already has the CLI', async () => {
    const same = await card({ number: '1000000003' });
    expect((await byCli({ callerid: '37062222222', pin: '500003' })).body).toBe(cardXml(same, '4.0000'));
  });

  it('(d) moves the PIN card’s whole balance onto the CLI card; a wrong group changes nothing', async () => {
    const wrongGroup = await byCli({ callerid: '37062222222', pin: '500002', cardgroup_id: String(g2.id) });
    expect(wrongGroup.body).toBe(pageErrorXml('Supplied Cardgroup_id is invalid'));
    expect((await card({ number: '1000000002' })).balance).toBe('3.250000');
    const res = await byCli({ callerid: '37062222222', pin: '500002', cardgroup_id: String(g1.id) });
    const cliCard = await card({ number: '1000000003' });
    expect(res.body).toBe(cardXml(cliCard, '7.2500'));
    expect((await card({ number: '1000000002' })).balance).toBe('0.000000');
  });

  it('answers Calling Card was not found for an unknown or another realm’s PIN', async () => {
    for (const pin of ['000000', '600001']) {
      expect((await byCli({ callerid: '37062222222', pin })).body).toBe(pageErrorXml('Calling Card was not found'));
    }
  });
});

describe('card_by_cli_update callers and parameters', () => {
  it('answers Callerid was not found without a CLI and hashes pin, amount, callerid, cardgroup_id', async () => {
    expect((await byCli({ amount: '1' })).body).toBe(pageErrorXml('Callerid was not found'));
    const params = { callerid: '37061111111', amount: '1', pin: '1' };
    expect((await w.admin.call('card_by_cli_update', params, ['callerid', 'amount', 'pin'])).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('answers Bad login and Access Denied as caller-level errors', async () => {
    expect((await api.call('card_by_cli_update', { u: 'ghost', callerid: '1' }, { hashOf: H })).body).toBe(
      statusErrorXml('Bad login'),
    );
    for (const who of [w.user, w.rNo, w.accR, w.accNone]) {
      expect((await byCli({ callerid: '37061111111' }, who)).body).toBe(statusErrorXml('Access Denied'));
    }
  });

  it('lets a reseller work with its own cards only', async () => {
    const res = await byCli({ callerid: '37069999999', amount: '1' }, w.r1);
    expect(res.body).toContain('<balance>10.0000</balance>');
    expect((await byCli({ callerid: '37069999999', amount: '1' }, w.r2)).body).toBe(
      pageErrorXml('Failed to make transaction'),
    );
    expect((await byCli({ callerid: '37069999998', pin: '500001' }, w.r1)).body).toBe(
      pageErrorXml('Calling Card was not found'),
    );
  });
});
