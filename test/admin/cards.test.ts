import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createAccountant, createResellerWithRights, createTax, createUser } from '../helpers/factories.ts';

const api = useTestApp();
type Caller = Awaited<ReturnType<typeof callerAs>>;
let admin: Caller;
let reseller: Caller;
let other: Caller;
let user: Caller;
let groupId: number;

beforeAll(async () => {
  admin = await callerAs(api, TEST.adminUsername);
  const r1 = await createResellerWithRights(api.handle, { calling_cards: 1 }, 'k1');
  const r2 = await createResellerWithRights(api.handle, { calling_cards: 1 }, 'k2');
  reseller = await callerAs(api, r1.username);
  other = await callerAs(api, r2.username);
  user = await callerAs(api, (await createUser(api.handle)).username);
});

describe('cardGroups procedures', () => {
  it('creates, reads and updates a group; money is decimal text', async () => {
    const tax = await createTax(api.handle, { tax1Value: '10' });
    const created = await admin.cardGroups.create({ name: ' Gold ', price: '10', taxId: tax.id, pinLength: 8 });
    groupId = created.id;
    expect(created).toMatchObject({
      name: 'Gold',
      price: '10.000000',
      priceWithTax: '11.000000',
      pinLength: 8,
      numberLength: 10,
      validTill: null,
      cardsCount: 0,
      hidden: false,
    });
    expect(created.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const updated = await admin.cardGroups.update({
      id: groupId,
      description: 'ten',
      validTill: '2099-01-01T00:00:00Z',
      soloPinless: true,
    });
    expect(updated).toMatchObject({ description: 'ten', validTill: '2099-01-01T00:00:00Z', soloPinless: true });
    expect((await admin.cardGroups.get({ id: groupId })).description).toBe('ten');
    expect((await admin.cardGroups.list({})).map((g) => g.id)).toContain(groupId);
  });

  it('reports rule failures as BAD_REQUEST with the MOR string, other realms as NOT_FOUND, users as FORBIDDEN', async () => {
    const bad = await trpcError(() => admin.cardGroups.create({ name: 'x', price: '-1' }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', message: 'Invalid Price with TAX' });
    const dates = await trpcError(() => admin.cardGroups.update({ id: groupId, validFrom: '2100-01-01T00:00:00Z' }));
    expect(dates.message).toBe('Date from is greater than date till');
    const mine = await reseller.cardGroups.create({ name: 'mine' });
    expect(mine.ownerId).not.toBe(0);
    expect((await trpcError(() => other.cardGroups.get({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => other.cardGroups.update({ id: mine.id, name: 'x' }))).code).toBe('NOT_FOUND');
    expect(await other.cardGroups.list({})).toEqual([]);
    expect((await trpcError(() => user.cardGroups.list({}))).code).toBe('FORBIDDEN');
    const accountant = await callerAs(api, (await createAccountant(api.handle, { calling_cards_manage: 1 })).username);
    expect((await trpcError(() => accountant.cardGroups.create({ name: 'x' }))).code).toBe('FORBIDDEN');
  });
});

describe('cards procedures', () => {
  it('creates a batch, then pages through the search results', async () => {
    const made = await admin.cards.createBatch({
      cardGroupId: groupId,
      cardsFrom: '5000000000',
      cardsTill: '5000000024',
      batchNumber: 'B1',
    });
    expect(made).toEqual({ created: 25, requested: 25 });
    const page = await admin.cards.search({ cardGroupId: groupId, batchNumber: 'B1', offset: 20, limit: 10 });
    expect(page.total).toBe(25);
    expect(page.cards.map((c) => c.number)).toEqual([
      '5000000020',
      '5000000021',
      '5000000022',
      '5000000023',
      '5000000024',
    ]);
    expect(page.cards[0]).toMatchObject({ balance: '10.000000', sold: false, firstUse: null, distributor: '' });
    expect(await admin.cards.search({ cardGroupId: groupId, offset: 100, limit: 10 })).toEqual({
      total: 25,
      cards: [],
    });
    const capacity = await trpcError(() =>
      admin.cards.createBatch({ cardGroupId: groupId, cardsFrom: '1', cardsTill: '2' }),
    );
    expect(capacity).toMatchObject({ code: 'BAD_REQUEST', message: 'Cards from is in incorrect format' });
  });

  it('sells, tops up (tax removed), reads the balance and exports the batch as CSV', async () => {
    const sale = await admin.cards.sell({ cardGroupId: groupId, quantity: 2 });
    expect(sale.cards.map((c) => c.number)).toEqual(['5000000000', '5000000001']);
    const topUp = await admin.cards.topUp({ number: '5000000000', amount: '5.5' });
    expect(topUp).toMatchObject({ before: '10.000000', amountWithoutTax: '5.000000', after: '15.000000' });
    expect(await admin.cards.balance({ number: '5000000000' })).toEqual({ balance: '15.000000', currency: 'USD' });
    const unsold = await trpcError(() => admin.cards.topUp({ number: '5000000002', amount: '1' }));
    expect(unsold.code).toBe('NOT_FOUND');
    const { filename, csv } = await admin.cards.exportCsv({ cardGroupId: groupId, batchNumber: 'B1' });
    const lines = csv.trim().split('\n');
    expect(filename).toBe(`cards_${groupId}_batch_B1.csv`);
    expect(lines[0]).toBe('Number,PIN,Balance,Sold,First_use,Daily_charge_paid_till');
    expect(lines).toHaveLength(26);
    expect(lines[1]).toMatch(/^5000000000,\d{8},15\.000000,1,,$/);
  });

  it('tops up and sells once for 50 concurrent retries with one idempotencyKey', async () => {
    const topUps = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin.cards.topUp({ number: '5000000001', amount: '2.2', idempotencyKey: 'card-top-up-1' }),
      ),
    );
    expect(new Set(topUps.map((t) => JSON.stringify(t))).size).toBe(1);
    expect(await admin.cards.balance({ number: '5000000001' })).toEqual({ balance: '12.000000', currency: 'USD' });
    const sales = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin.cards.sell({ cardGroupId: groupId, quantity: 1, idempotencyKey: 'sale-1' }),
      ),
    );
    expect(new Set(sales.map((s) => JSON.stringify(s))).size).toBe(1);
    const reused = await trpcError(() =>
      admin.cards.topUp({ number: '5000000000', amount: '1', idempotencyKey: 'sale-1' }),
    );
    expect(reused.code).toBe('CONFLICT');
  });

  it('updates a card with conflicts as CONFLICT, and disables it for good', async () => {
    const { cards } = await admin.cards.search({ cardGroupId: groupId, limit: 2 });
    const [a, b] = cards;
    const clash = await trpcError(() => admin.cards.update({ id: a!.id, pin: b!.pin }));
    expect(clash).toMatchObject({ code: 'CONFLICT', message: 'PIN is already in use' });
    await admin.cards.update({ id: a!.id, name: 'first', firstUse: '2024-01-02T03:04:05Z' });
    const [again] = (await admin.cards.search({ id: a!.id })).cards;
    expect(again).toMatchObject({ name: 'first', firstUse: '2024-01-02T03:04:05Z' });
    await admin.cards.disable({ id: a!.id });
    expect((await admin.cards.search({ id: a!.id })).total).toBe(0);
    expect((await trpcError(() => admin.cards.balance({ number: a!.number }))).code).toBe('NOT_FOUND');
  });

  it('keeps resellers to their own cards', async () => {
    expect((await reseller.cards.search({})).total).toBe(0);
    expect((await trpcError(() => reseller.cards.sell({ cardGroupId: groupId }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => reseller.cards.disable({ id: 1 }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => user.cards.search({}))).code).toBe('FORBIDDEN');
  });

  it('answers a typed client over HTTP with the admin token', async () => {
    const client = clientWith(api, TEST.adminToken);
    const groups = await client.cardGroups.list.query({});
    expect(groups.find((g) => g.id === groupId)?.cardsCount).toBe(24);
    const found = await client.cards.search.query({ number: '50000000%', limit: 1 });
    expect(found.total).toBe(24);
  });
});
