import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/users.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createCardGroup, createUser, insertCard, nameUser } from '../helpers/factories.ts';
import { type CardCallers, cardCallers } from './cardsWorld.ts';

const api = useTestApp();
let w: CardCallers;
let seedCard: Awaited<ReturnType<typeof insertCard>>;
let distributor: Awaited<ReturnType<typeof createUser>>;

const numbers = (body: string) => [...body.matchAll(/<card_number>(\d+)<\/card_number>/g)].map((m) => m[1]);

beforeAll(async () => {
  w = await cardCallers(api);
  const h = api.handle;
  // The admin reads times in its own zone: Vilnius is +0200 in November.
  await h.db.update(users).set({ timeZone: 'Vilnius' }).where(eq(users.id, 0));
  distributor = await createUser(h);
  await nameUser(h, distributor.id, 'Test', 'User #1');
  const second = await createCardGroup(h, { pinLength: 4 });
  const first = await createCardGroup(h, { pinLength: 4 });
  seedCard = await insertCard(h, second, {
    number: '1111111119',
    name: 'test_card',
    pin: '2668',
    batchNumber: '5',
    callerid: '3',
    balance: '10.0840336134454',
    minBalance: '20',
    dailyChargePaidTill: new Date('2015-11-05T00:00:00Z'),
    language: 'en',
    userId: distributor.id,
  });
  await insertCard(h, second, { number: '1111111118', pin: '1001', batchNumber: '5', balance: '30', sold: true });
  await insertCard(h, first, { number: '1111111120', pin: '1002', batchNumber: '6', balance: '5', language: 'lt' });
  await insertCard(h, first, { number: '2222222222', pin: '1003', batchNumber: '6', balance: '50', sold: true });
  await insertCard(h, first, { number: '1111111121', pin: '1004', batchNumber: '5', hidden: true });
  const gone = await createCardGroup(h, { hidden: true, pinLength: 4 });
  await insertCard(h, gone, { number: '1111111122', pin: '1005', batchNumber: '5' });
  const r1Group = await createCardGroup(h, { ownerId: w.r1.id, pinLength: 4 });
  await insertCard(h, r1Group, { number: '3333333333', pin: '1006', batchNumber: '5', balance: '12' });
});

describe('calling_cards_get', () => {
  it('answers the seed request with the documented card shape and hash (key only)', async () => {
    const res = await api.call(
      'calling_cards_get',
      {
        u: 'admin',
        number: '1111111119',
        name: 'test_card',
        pin: '2668',
        min_balance: '10',
        max_balance: '50',
        language: 'en',
        callerid: '3',
        sold: '0',
        distributor: String(distributor.id),
      },
      { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' },
    );
    const fields: [string, string | number][] = [
      ['card_id', seedCard.id],
      ['card_number', '1111111119'],
      ['card_name', 'test_card'],
      ['card_pin', '2668'],
      ['card_batch_number', '5'],
      ['card_callerid', '3'],
      ['card_balance', '10.084034'],
      ['card_minimal_balance', '20.0'],
      ['card_first_use', ''],
      ['card_daily_charge_paid_till', '2015-11-05 02:00:00 +0200'],
      ['card_sold', 0],
      ['card_language', 'en'],
      ['card_distributor', 'Test User #1'],
    ];
    const card = fields.map(([tag, value]) => `      <${tag}>${value}</${tag}>\n`).join('');
    expect(res.body).toBe(`${XML_DECL}\n<page>\n  <cards>\n    <card>\n${card}    </card>\n  </cards>\n</page>\n`);
  });

  it('lists every visible card of the admin’s reach by group id, then number; hidden ones never', async () => {
    const res = await w.admin.call('calling_cards_get');
    expect(numbers(res.body)).toEqual(['1111111118', '1111111119', '1111111120', '2222222222', '3333333333']);
    expect(res.body).toContain('<card_distributor></card_distributor>');
  });

  it('filters by batch, balance range, sold, language and number patterns (AND)', async () => {
    const get = async (params: Record<string, string>) =>
      numbers((await w.admin.call('calling_cards_get', params)).body);
    expect(await get({ batch_number: '5', min_balance: '10', max_balance: '30' })).toEqual([
      '1111111118',
      '1111111119',
      '3333333333',
    ]);
    expect(await get({ batch_number: '6', sold: 'yes' })).toEqual(['2222222222']);
    expect(await get({ batch_number: '6', sold: 'NO' })).toEqual(['1111111120']);
    expect(await get({ batch_number: '6', sold: 'all' })).toEqual(['1111111120', '2222222222']);
    expect(await get({ sold: '1', max_balance: '40' })).toEqual(['1111111118']);
    expect(await get({ language: 'lt' })).toEqual(['1111111120']);
    expect(await get({ number: '1111%' })).toEqual(['1111111118', '1111111119', '1111111120']);
    expect(await get({ number: ' 2222222222 ' })).toEqual(['2222222222']);
    expect(await get({ pin: '1002' })).toEqual(['1111111120']);
  });

  it('answers Cards were not found when nothing matches', async () => {
    const cases: Record<string, string>[] = [
      { number: '999' },
      { distributor: 'x' },
      { batch_number: '5', min_balance: '100' },
    ];
    for (const params of cases) {
      expect((await w.admin.call('calling_cards_get', params)).body).toBe(pageStatusErrorXml('Cards were not found'));
    }
  });

  it('shows resellers only their own cards and accountants the admin’s', async () => {
    expect(numbers((await w.r1.call('calling_cards_get')).body)).toEqual(['3333333333']);
    expect((await w.r2.call('calling_cards_get')).body).toBe(pageStatusErrorXml('Cards were not found'));
    expect(numbers((await w.accR.call('calling_cards_get', { batch_number: '5' })).body)).toEqual([
      '1111111118',
      '1111111119',
    ]);
  });

  it('refuses simple users, unknown callers and managers without the right', async () => {
    expect((await w.user.call('calling_cards_get')).body).toBe(pageStatusErrorXml('Access Denied'));
    expect((await api.call('calling_cards_get', { u: 'ghost' })).body).toBe(pageStatusErrorXml('Access Denied'));
    for (const who of [w.rNo, w.accNone]) {
      expect((await who.call('calling_cards_get')).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
    expect((await w.admin.call('calling_cards_get', { number: '1' }, ['number'])).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });
});
