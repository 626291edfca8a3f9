import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { cards } from '../../src/db/schema/cards.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp } from '../helpers/app.ts';
import { createCardGroup, createUser } from '../helpers/factories.ts';
import { type CardCallers, cardCallers, successXml } from './cardsWorld.ts';

const api = useTestApp();
const H = ['card_group_id', 'cards_from', 'cards_till'];
let w: CardCallers;
let group: Awaited<ReturnType<typeof createCardGroup>>;
let r1Group: Awaited<ReturnType<typeof createCardGroup>>;

const cardsOf = (groupId: number) =>
  api.handle.db.select().from(cards).where(eq(cards.cardgroupId, groupId)).orderBy(asc(cards.number));
const create = (who: CardCallers['admin'], groupId: number, from: string, till: string, extra = {}) =>
  who.call('calling_cards_create', { card_group_id: String(groupId), cards_from: from, cards_till: till, ...extra }, H);

beforeAll(async () => {
  // The first group of a fresh database has id 1, as in the seed example.
  group = await createCardGroup(api.handle, { name: 'seed group', price: '10.084034' });
  w = await cardCallers(api);
  r1Group = await createCardGroup(api.handle, { name: 'r1', ownerId: w.r1.id, pinLength: 8 });
});

describe('calling_cards_create', () => {
  it('creates the seed example’s 11 cards with its documented hash', async () => {
    expect(group.id).toBe(1);
    const res = await api.call(
      'calling_cards_create',
      {
        u: 'admin',
        card_group_id: '1',
        cards_from: '1000000025',
        cards_till: '1000000035',
        batch_number: '50',
        min_balance: '15',
        language: 'en',
        distributor_id: '2',
      },
      { hash: '7e112ededcfee097cce21b6201c6d2a00dda1f4c' },
    );
    expect(res.body).toBe(successXml('Cards created: 11/11'));
    const made = await cardsOf(group.id);
    expect(made.map((c) => c.number)).toEqual(Array.from({ length: 11 }, (_, i) => String(1000000025 + i)));
    for (const card of made) {
      expect(card).toMatchObject({
        ownerId: 0,
        balance: '10.084034',
        minBalance: '15.000000',
        batchNumber: '50',
        language: 'en',
        sold: false,
        userId: -1, // user 2 is a reseller, not a simple user of the admin: no distributor, silently
        callerid: '',
      });
      expect(card.pin).toMatch(/^\d{6}$/);
    }
    expect(new Set(made.map((c) => c.pin)).size).toBe(11);
    const [log] = await api.handle.db.select().from(actions).where(eq(actions.action, 'cards_created'));
    expect(log).toMatchObject({ targetId: group.id, data: '1000000025-1000000035', data2: '11/11' });
  });

  it('skips numbers that exist: a partial range answers N/M, a full overlap 0/M', async () => {
    expect((await create(w.admin, group.id, '1000000030', '1000000040')).body).toBe(successXml('Cards created: 5/11'));
    expect((await create(w.admin, group.id, '1000000025', '1000000040')).body).toBe(successXml('Cards created: 0/16'));
    expect(await cardsOf(group.id)).toHaveLength(16);
  });

  it('draws PINs at random, never in sequence', async () => {
    expect((await create(w.admin, group.id, '1000001000', '1000001199')).body).toBe(
      successXml('Cards created: 200/200'),
    );
    const pins = (await cardsOf(group.id)).filter((c) => c.number >= '1000001000').map((c) => Number(c.pin));
    expect(new Set(pins).size).toBe(200);
    const steps = pins.slice(1).map((p, i) => p - pins[i]!);
    expect(steps.filter((d) => d === 1).length).toBeLessThan(5);
    expect(Math.max(...pins) - Math.min(...pins)).toBeGreaterThan(500_000);
  });

  it('stores a distributor only when it is a simple user of the group owner; bad optional values fall back', async () => {
    const mine = await createUser(api.handle);
    const resellers = await createUser(api.handle, { ownerId: w.r1.id });
    await create(w.admin, group.id, '1000002000', '1000002000', { distributor_id: String(mine.id) });
    await create(w.admin, group.id, '1000002001', '1000002001', { distributor_id: String(resellers.id) });
    await create(w.admin, group.id, '1000002002', '1000002002', { distributor_id: 'x', min_balance: 'lots' });
    const made = (await cardsOf(group.id)).filter((c) => c.number >= '1000002000' && c.number < '1000003000');
    expect(made.map((c) => [c.userId, c.minBalance])).toEqual([
      [mine.id, '0.000000'],
      [-1, '0.000000'],
      [-1, '0.000000'],
    ]);
  });

  it('answers every documented error string', async () => {
    const hidden = await createCardGroup(api.handle, { hidden: true });
    const cases: [Record<string, string>, string][] = [
      [{ cards_from: '1000000001', cards_till: '1000000002' }, 'Card Group was not found'],
      [{ card_group_id: '999999', cards_from: '1000000001', cards_till: '1000000002' }, 'Card Group was not found'],
      [{ card_group_id: String(hidden.id), cards_from: '1', cards_till: '2' }, 'Card Group was not found'],
      [{ card_group_id: String(group.id), cards_till: '1000000002' }, 'Cards from was not found'],
      [{ card_group_id: String(group.id), cards_from: '1000000001' }, 'Cards till was not found'],
      [
        { card_group_id: String(group.id), cards_from: '100000001', cards_till: '1000000002' },
        'Cards from is in incorrect format',
      ],
      [
        { card_group_id: String(group.id), cards_from: '10000000a1', cards_till: '1000000002' },
        'Cards from is in incorrect format',
      ],
      [
        { card_group_id: String(group.id), cards_from: '1000000001', cards_till: '10000000002' },
        'Cards till is in incorrect format',
      ],
      [
        { card_group_id: String(group.id), cards_from: '1000000009', cards_till: '1000000002' },
        'Cards from must not be greater than Cards till',
      ],
    ];
    for (const [params, message] of cases) {
      const res = await w.admin.call('calling_cards_create', params, H);
      expect(res.body, JSON.stringify(params)).toBe(pageStatusErrorXml(message));
    }
  });

  it('refuses a PIN length too short for the range before writing anything (20 % of the PIN space)', async () => {
    const tiny = await createCardGroup(api.handle, { pinLength: 1, numberLength: 4 });
    expect((await create(w.admin, tiny.id, '0001', '0003')).body).toBe(
      pageStatusErrorXml('PIN is too short for this interval'),
    );
    expect(await cardsOf(tiny.id)).toHaveLength(0);
    expect((await create(w.admin, tiny.id, '0001', '0002')).body).toBe(successXml('Cards created: 2/2'));
    expect((await cardsOf(tiny.id)).map((c) => c.pin).every((p) => /^\d$/.test(p))).toBe(true);
    // the two 1-digit PINs allowed system-wide are used; existing numbers do not count
    expect((await create(w.admin, tiny.id, '0001', '0003')).body).toBe(
      pageStatusErrorXml('PIN is too short for this interval'),
    );
    expect((await create(w.admin, tiny.id, '0001', '0002')).body).toBe(successXml('Cards created: 0/2'));
  });

  it('checks numbers against the group’s own number length', async () => {
    const long = await createCardGroup(api.handle, { numberLength: 12 });
    expect((await create(w.admin, long.id, '000000000001', '000000000003')).body).toBe(
      successXml('Cards created: 3/3'),
    );
    expect((await create(w.admin, long.id, '1000000001', '1000000003')).body).toBe(
      pageStatusErrorXml('Cards from is in incorrect format'),
    );
  });

  it('hashes card_group_id, cards_from, cards_till in that order', async () => {
    const params = { card_group_id: String(group.id), cards_from: '1000003000', cards_till: '1000003001' };
    const wrong = await w.admin.call('calling_cards_create', params, ['cards_from', 'card_group_id', 'cards_till']);
    expect(wrong.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('lets managers with the right create in their realm only; others get the seed strings', async () => {
    expect((await create(w.user, group.id, '1000004000', '1000004000')).body).toBe(pageStatusErrorXml('Access Denied'));
    const unknown = await api.call('calling_cards_create', { u: 'ghost' }, { hashOf: H });
    expect(unknown.body).toBe(pageStatusErrorXml('Access Denied'));
    for (const who of [w.rNo, w.accR, w.accNone]) {
      expect((await create(who, group.id, '1000004000', '1000004000')).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
    expect((await create(w.accW, group.id, '1000004000', '1000004001')).body).toBe(successXml('Cards created: 2/2'));
    expect((await create(w.r1, r1Group.id, '2000000000', '2000000009')).body).toBe(successXml('Cards created: 10/10'));
    const r1Cards = await cardsOf(r1Group.id);
    expect(r1Cards.every((c) => c.ownerId === w.r1.id && /^\d{8}$/.test(c.pin))).toBe(true);
    expect((await create(w.r2, r1Group.id, '2000000010', '2000000011')).body).toBe(
      pageStatusErrorXml('Card Group was not found'),
    );
    expect((await create(w.r1, group.id, '2000000010', '2000000011')).body).toBe(
      pageStatusErrorXml('Card Group was not found'),
    );
    expect((await create(w.accW, r1Group.id, '2000000010', '2000000011')).body).toBe(
      pageStatusErrorXml('Card Group was not found'),
    );
  });

  it('keeps card numbers unique system-wide: another realm’s numbers are skipped', async () => {
    const r2Group = await createCardGroup(api.handle, { ownerId: w.r2.id });
    expect((await create(w.r2, r2Group.id, '2000000005', '2000000014')).body).toBe(successXml('Cards created: 5/10'));
    expect((await cardsOf(r2Group.id)).map((c) => c.number)).toEqual(
      Array.from({ length: 5 }, (_, i) => String(2000000010 + i)),
    );
  });
});
