import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cards } from '../../src/db/schema/cards.ts';
import { users } from '../../src/db/schema/users.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  createAccountant,
  createApiPermissionGroup,
  createCardGroup,
  createUser,
  insertCard,
} from '../helpers/factories.ts';
import { type CardCallers, cardCallers } from './cardsWorld.ts';

const api = useTestApp();
const UPDATED = `${XML_DECL}\n<page>\n  <success>Calling Card successfully updated</success>\n</page>\n`;
const H = ['card_id'];
let w: CardCallers;
let card: Awaited<ReturnType<typeof insertCard>>;
let r1Card: Awaited<ReturnType<typeof insertCard>>;
let hiddenCard: Awaited<ReturnType<typeof insertCard>>;
let distributor: Awaited<ReturnType<typeof createUser>>;

const row = async (id: number) => (await api.handle.db.select().from(cards).where(eq(cards.id, id)))[0]!;
const update = (params: Record<string, string>, who = w.admin, id = card.id) =>
  who.call('calling_card_update', { card_id: String(id), ...params }, H);

beforeAll(async () => {
  w = await cardCallers(api);
  const group = await createCardGroup(api.handle, { pinLength: 4 });
  card = await insertCard(api.handle, group, { number: '1000000001', pin: '1111' });
  await insertCard(api.handle, group, { number: '1000000002', pin: '2222', callerid: '37060000002' });
  hiddenCard = await insertCard(api.handle, group, { number: '1000000003', pin: '3333', hidden: true });
  const r1Group = await createCardGroup(api.handle, { ownerId: w.r1.id, pinLength: 4 });
  r1Card = await insertCard(api.handle, r1Group, { number: '2000000001', pin: '4444' });
  distributor = await createUser(api.handle);
});

describe('calling_card_update', () => {
  it('sets every field of the seed request (hash = sha1(card_id + key))', async () => {
    const res = await update({
      number: '4673451679',
      name: 'card',
      pin: '7468',
      batch_number: '5456484',
      callerid: '2',
      min_balance: '5',
      daily_charge_paid_till: '1446721871',
      language: 'en',
      distributor: String(distributor.id),
      first_use: '1446721800',
    });
    expect(res.body).toBe(UPDATED);
    const c = await row(card.id);
    expect(c).toMatchObject({
      number: '4673451679',
      name: 'card',
      pin: '7468',
      batchNumber: '5456484',
      callerid: '2',
      minBalance: '5.000000',
      language: 'en',
      userId: distributor.id,
    });
    expect(c.dailyChargePaidTill?.toISOString()).toBe('2015-11-05T11:11:11.000Z');
    expect(c.firstUse?.toISOString()).toBe('2015-11-05T11:10:00.000Z');
  });

  it('clears the first-use date and the distributor with -1; empty values change nothing', async () => {
    expect((await update({ first_use: '-1', distributor: '-1', name: '' })).body).toBe(UPDATED);
    expect(await row(card.id)).toMatchObject({ firstUse: null, userId: -1, name: 'card' });
  });

  it('answers the seed strings and its own validation strings, first failure wins, nothing saved', async () => {
    const before = await row(card.id);
    const cases: [Record<string, string>, string][] = [
      [{ card_id: 'abc' }, 'Wrong Calling Card ID'],
      [{ card_id: '999999' }, 'Calling Card not found'],
      [{ card_id: String(hiddenCard.id) }, 'Calling Card not found'],
      [{ number: '123' }, 'Invalid number'],
      [{ number: '1000000002' }, 'Number is already in use'],
      [{ pin: '12345' }, 'Invalid PIN'],
      [{ pin: '2222' }, 'PIN is already in use'],
      [{ callerid: '37060000002' }, 'Callerid is already in use'],
      [{ min_balance: '-1' }, 'Invalid min balance'],
      [{ daily_charge_paid_till: 'tomorrow' }, 'Invalid daily charge paid till'],
      [{ distributor: '999999' }, 'Invalid distributor'],
      [{ distributor: String(w.r1.id) }, 'Invalid distributor'],
      [{ first_use: 'x' }, 'Invalid first use'],
      [{ number: 'x', pin: 'y' }, 'Invalid number'],
      [{ pin: 'y', first_use: 'x', name: 'changed' }, 'Invalid PIN'],
    ];
    for (const [params, message] of cases) {
      const res = await w.admin.call('calling_card_update', { card_id: String(card.id), ...params }, H);
      expect(res.body, JSON.stringify(params)).toBe(pageStatusErrorXml(message));
    }
    const missing = await w.admin.call('calling_card_update', {}, H);
    expect(missing.body).toBe(pageStatusErrorXml('Wrong Calling Card ID'));
    expect(await row(card.id)).toEqual(before);
  });

  it('keeps its own number, PIN and CLI valid for itself', async () => {
    const c = await row(card.id);
    expect((await update({ number: c.number, pin: c.pin, callerid: c.callerid })).body).toBe(UPDATED);
  });

  it('refuses simple users and unknown callers (Access Denied), managers without write rights', async () => {
    expect((await update({ name: 'x' }, w.user)).body).toBe(pageStatusErrorXml('Access Denied'));
    const unknown = await api.call('calling_card_update', { u: 'ghost', card_id: '1' }, { hashOf: H });
    expect(unknown.body).toBe(pageStatusErrorXml('Access Denied'));
    for (const who of [w.rNo, w.accR, w.accNone]) {
      expect((await update({ name: 'x' }, who)).body).toBe(
        pageStatusErrorXml('You are not authorized to use this functionality'),
      );
    }
    expect((await update({ name: 'by accountant' }, w.accW)).body).toBe(UPDATED);
    expect((await update({ name: 'x' }, w.admin, card.id)).body).toBe(UPDATED);
    expect((await w.admin.call('calling_card_update', { card_id: String(card.id) })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
  });

  it('keeps resellers to their own cards; another realm’s card is not found', async () => {
    expect((await update({ name: 'mine' }, w.r1, r1Card.id)).body).toBe(UPDATED);
    expect((await update({ name: 'stolen' }, w.r2, r1Card.id)).body).toBe(pageStatusErrorXml('Calling Card not found'));
    expect((await update({ name: 'stolen' }, w.r1, card.id)).body).toBe(pageStatusErrorXml('Calling Card not found'));
    expect((await update({ name: 'stolen' }, w.accW, r1Card.id)).body).toBe(
      pageStatusErrorXml('Calling Card not found'),
    );
    expect((await row(r1Card.id)).name).toBe('mine');
    // a reseller's distributor must be its own simple user
    const own = await createUser(api.handle, { ownerId: w.r1.id });
    expect((await update({ distributor: String(own.id) }, w.r1, r1Card.id)).body).toBe(UPDATED);
    expect((await update({ distributor: String(distributor.id) }, w.r1, r1Card.id)).body).toBe(
      pageStatusErrorXml('Invalid distributor'),
    );
  });

  it('is a write method for API permission groups: read level is not enough', async () => {
    const levels = await createApiPermissionGroup(api.handle, { calling_card_update: 1, calling_cards_get: 1 });
    const acc = await createAccountant(api.handle, { calling_cards_manage: 2 });
    await api.handle.db
      .update(users)
      .set({ apiRestricted: true, apiPermissionGroupId: levels.id })
      .where(eq(users.id, acc.id));
    api.changed();
    const update = await api.call('calling_card_update', { u: acc.username, card_id: String(card.id) }, { hashOf: H });
    expect(update.body).toBe(statusErrorXml('You are not authorized to view this page'));
    const read = await api.call('calling_cards_get', { u: acc.username });
    expect(read.body).toContain('<cards>');
  });
});
