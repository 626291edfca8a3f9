import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { cards } from '../../src/db/schema/cards.ts';
import { payments } from '../../src/db/schema/payments.ts';
import { pageErrorXml, pageStatusErrorXml, useTestApp } from '../helpers/app.ts';
import { createCardGroup, insertCard } from '../helpers/factories.ts';
import { reconcileAfterEach } from '../helpers/money.ts';
import { type CardCallers, cardCallers, successXml } from './cardsWorld.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: CardCallers;
let group: Awaited<ReturnType<typeof createCardGroup>>;

const byNumber = async (number: string) =>
  (await api.handle.db.select().from(cards).where(eq(cards.number, number)))[0]!;
const all = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

beforeAll(async () => {
  w = await cardCallers(api);
  group = await createCardGroup(api.handle, { price: '2.5' });
});

describe('calling-card money moves under concurrency', () => {
  it('adds up 20 simultaneous top-ups of one card exactly', async () => {
    const card = await insertCard(api.handle, group, {
      number: '1000000001',
      pin: '100001',
      balance: '0.1',
      sold: true,
    });
    const H = ['description', 'number', 'amount', 'currency'];
    const answers = await all(20, () => w.admin.call('card_payment_add', { number: card.number, amount: '1.1' }, H));
    expect(answers.every((a) => a.body.includes('<success>Calling Card balance successfully updated</success>'))).toBe(
      true,
    );
    expect((await byNumber(card.number)).balance).toBe('22.100000');
    expect(await api.handle.db.select().from(payments).where(eq(payments.cardId, card.id))).toHaveLength(20);
  });

  it('tops up and sells once for 20 concurrent retries with one Idempotency-Key, all answered alike', async () => {
    const card = await insertCard(api.handle, group, { number: '1000000002', pin: '100002', balance: '0', sold: true });
    const stock = await createCardGroup(api.handle, { price: '5' });
    for (let i = 0; i < 3; i++)
      await insertCard(api.handle, stock, { number: String(2100000000 + i), pin: String(210000 + i), balance: '5' });
    const topUps = await all(20, () =>
      w.admin.call(
        'card_payment_add',
        { number: card.number, amount: '1.1' },
        ['description', 'number', 'amount', 'currency'],
        {
          headers: { 'Idempotency-Key': 'top-up-1' },
        },
      ),
    );
    const sales = await all(20, () =>
      w.admin.call('card_from_group_sell', { id: String(stock.id) }, ['email', 'id', 'quantity'], {
        headers: { 'Idempotency-Key': 'sale-1' },
      }),
    );
    for (const answers of [topUps, sales]) expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(topUps[0]!.body).toContain('<success>Calling Card balance successfully updated</success>');
    expect((await byNumber(card.number)).balance).toBe('1.100000');
    expect(await api.handle.db.select().from(payments).where(eq(payments.cardId, card.id))).toHaveLength(1);
    expect([...sales[0]!.body.matchAll(/<number>/g)]).toHaveLength(1);
    const sold = await api.handle.db.select().from(cards).where(eq(cards.cardgroupId, stock.id));
    expect(sold.filter((c) => c.sold)).toHaveLength(1);
  });

  it('sells each free card once when more buyers than cards arrive together', async () => {
    const stock = await createCardGroup(api.handle, { price: '5' });
    for (let i = 0; i < 8; i++)
      await insertCard(api.handle, stock, { number: String(2000000000 + i), pin: String(200000 + i), balance: '5' });
    const answers = await all(12, () =>
      w.admin.call('card_from_group_sell', { id: String(stock.id) }, ['email', 'id', 'quantity']),
    );
    const sold = answers.flatMap((a) => [...a.body.matchAll(/<number>(\d+)<\/number>/g)].map((m) => m[1]));
    expect(new Set(sold).size).toBe(sold.length);
    expect(sold).toHaveLength(8);
    const empty = answers.filter((a) => a.body === pageStatusErrorXml('Free cards was not found'));
    expect(empty).toHaveLength(4);
    const rows = await api.handle.db.select().from(cards).where(eq(cards.cardgroupId, stock.id));
    expect(rows.every((c) => c.sold)).toBe(true);
    const paid = await api.handle.db.select().from(payments);
    expect(paid.filter((p) => rows.some((c) => c.id === p.cardId))).toHaveLength(8);
  });

  it('keeps the total of two cards when transfers run both ways at once; a failed one changes nothing', async () => {
    await insertCard(api.handle, group, {
      number: '3000000001',
      pin: '300001',
      balance: '10',
      callerid: '37060001',
      sold: true,
    });
    await insertCard(api.handle, group, {
      number: '3000000002',
      pin: '300002',
      balance: '5',
      callerid: '37060002',
      sold: true,
    });
    const H = ['pin', 'amount', 'callerid', 'cardgroup_id'];
    const answers = await all(10, (i) =>
      w.admin.call(
        'card_by_cli_update',
        i % 2 === 0 ? { callerid: '37060001', pin: '300002' } : { callerid: '37060002', pin: '300001' },
        H,
      ),
    );
    for (const a of answers) {
      expect(a.body.includes('<status>ok</status>') || a.body === pageErrorXml('Failed to make transaction')).toBe(
        true,
      );
    }
    const [a, b] = [await byNumber('3000000001'), await byNumber('3000000002')];
    expect((Number(a.balance) * 1e6 + Number(b.balance) * 1e6) / 1e6).toBe(15);
    expect([a.balance, b.balance].sort()).toEqual(['0.000000', '15.000000']);
    // Each action-log row names the amount that really moved: the ledger's credits of these transfers.
    const logged = await queryRows<{ amount: string }>(
      api.handle.db,
      sql`select data2::numeric(20, 6)::text as amount from actions
        where action = 'card_balance_transferred' and target_id in (${a.id}::int, ${b.id}::int)
          and data2::numeric <> 0 order by 1`,
    );
    const credited = await queryRows<{ amount: string }>(
      api.handle.db,
      sql`select amount::numeric(20, 6)::text as amount from ledger
        where source = 'card_transfer' and card_id in (${a.id}::int, ${b.id}::int) and amount > 0 order by 1`,
    );
    expect(logged).toEqual(credited);
  });

  it('creates overlapping ranges at once without duplicate numbers or PINs', async () => {
    const H = ['card_group_id', 'cards_from', 'cards_till'];
    const ranges = [
      ['4000000000', '4000000499'],
      ['4000000250', '4000000749'],
      ['4000000500', '4000000999'],
    ];
    const answers = await all(3, (i) =>
      w.admin.call(
        'calling_cards_create',
        { card_group_id: String(group.id), cards_from: ranges[i]![0]!, cards_till: ranges[i]![1]! },
        H,
      ),
    );
    const created = answers.map((a) => Number(/Cards created: (\d+)\/500/.exec(a.body)?.[1]));
    expect(created.reduce((x, y) => x + y, 0)).toBe(1000);
    const rows = (await api.handle.db.select().from(cards).where(eq(cards.cardgroupId, group.id))).filter((c) =>
      c.number.startsWith('4'),
    );
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((c) => c.pin)).size).toBe(1000);
    expect(answers.some((a) => a.body === successXml('Cards created: 500/500'))).toBe(true);
  });
});
