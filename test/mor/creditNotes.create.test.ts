import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { taxes } from '../../src/db/schema/users.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  balanceOf,
  type Caller,
  type MoneyWorld,
  moneyWorld,
  movementsOf,
  notesOf,
  paymentsOf,
  reconcileAfterEach,
} from '../helpers/money.ts';

const api = useTestApp();
reconcileAfterEach(api);
let w: MoneyWorld;
beforeAll(async () => {
  w = await moneyWorld(api);
});

const HASH = ['user_id', 'number'];
const CREATED = `${XML_DECL}\n<page>\n  <status>Credit note was created</status>\n</page>\n`;
const create = (as: Caller, params: Record<string, string>, options = {}) =>
  as.call('credit_note_create', params, HASH, options);
const valid = (userId: number, extra: Record<string, string> = {}) => ({
  user_id: String(userId),
  price: '10',
  issue_date: '1714557600',
  ...extra,
});

describe('credit_note_create', () => {
  it('issues an unpaid note with the price, the price with tax and the taxes of the day; the balance waits', async () => {
    const user = await w.customer({ balance: '5' });
    const res = await create(w.admin, valid(user.id, { number: 'CN-7', comment: 'overcharge May', price: '10.5' }));
    expect(res.body).toBe(CREATED);
    const [note] = await notesOf(api, user.id);
    expect(note).toEqual({
      id: note!.id,
      owner_id: 0,
      number: 'CN-7',
      issue_date: '2024-05-01 10:00:00',
      price: '10.500000',
      price_with_vat: '12.600000',
      taxes: { compound: false, taxes: [{ name: 'VAT', percent: '20.0000' }] },
      comment: 'overcharge May',
      status: 'unpaid',
      paid_at: false,
      payment_id: null,
    });
    expect(await balanceOf(api, user.id)).toBe('5.000000');
    expect(await movementsOf(api, user.id)).toEqual([]);
    expect(await paymentsOf(api, user.id)).toEqual([]);
    const [log] = await api.handle.db
      .select()
      .from(actions)
      .where(eq(actions.targetId, note!.id as number));
    expect(log).toMatchObject({
      action: 'credit_note_created',
      targetType: 'credit_note',
      userId: 0,
      data: '10.500000',
    });
    // Later tax changes do not alter the note.
    await api.handle.db.update(taxes).set({ tax1Value: '50' }).where(eq(taxes.id, w.tax.id));
    try {
      expect((await notesOf(api, user.id))[0]).toMatchObject({ price_with_vat: '12.600000' });
    } finally {
      await api.handle.db.update(taxes).set({ tax1Value: '20' }).where(eq(taxes.id, w.tax.id));
    }
  });

  it('accepts a negative price; a user without taxes gets price_with_vat = price', async () => {
    const user = await w.customer();
    await create(w.admin, valid(user.id, { price: '-3.25' }));
    const plain = await w.customer();
    await api.handle.db.execute(sql`update users set tax_id = null where id = ${plain.id}`);
    await create(w.admin, valid(plain.id, { price: '4' }));
    expect((await notesOf(api, user.id))[0]).toMatchObject({ price: '-3.250000', price_with_vat: '-3.900000' });
    expect((await notesOf(api, plain.id))[0]).toMatchObject({
      price_with_vat: '4.000000',
      taxes: { compound: false, taxes: [] },
    });
  });

  it('hashes user_id then number (example f7c3bc1d…); price, issue_date and comment are not hashed', async () => {
    expect(await api.hash({ user_id: '123' }, HASH, '456789')).toBe('f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    const user = await w.customer();
    expect((await create(w.admin, valid(user.id, { number: 'N1' }))).body).toBe(CREATED);
    for (const order of [['number', 'user_id'], ['user_id'], []]) {
      const res = await w.admin.call('credit_note_create', valid(user.id, { number: 'N2' }), order);
      expect(res.body).toBe(statusErrorXml('Incorrect hash'));
    }
    expect(await notesOf(api, user.id)).toHaveLength(1);
  });

  it('is served under /api too', async () => {
    const user = await w.customer();
    expect((await create(w.admin, valid(user.id), { prefix: '/api' })).body).toBe(CREATED);
  });

  it('lets resellers issue notes to their users, accountants with the rights to the admin realm', async () => {
    const mine = await w.customer({ ownerId: w.r1.id });
    expect((await create(w.r1, valid(mine.id))).body).toBe(CREATED);
    expect((await notesOf(api, mine.id))[0]).toMatchObject({ owner_id: w.r1.id });
    const admins = await w.customer();
    expect((await create(w.accNotes, valid(admins.id))).body).toBe(CREATED);
    // The admin issues notes to its resellers too (they are users of its realm).
    expect((await create(w.admin, valid(w.r2.id))).body).toBe(CREATED);
  });

  it('answers Bad login to unknown callers, simple users, partners and accountants without the rights', async () => {
    const user = await w.customer();
    expect((await api.call('credit_note_create', { u: 'nobody', ...valid(user.id) }, { hashOf: HASH })).body).toBe(
      pageErrorXml('Bad login'),
    );
    // Manage invoices (read at least) and See financial data (write) are both needed.
    for (const caller of [w.user, w.partner, w.accNone, w.accPay, w.accNotesRead, w.accNotesBlind]) {
      expect((await create(caller, valid(user.id))).body).toBe(pageErrorXml('Bad login'));
    }
    expect(await notesOf(api, user.id)).toEqual([]);
  });

  it('answers User was not found outside the caller realm, for the admin, or a bad user_id', async () => {
    const r2s = await w.customer({ ownerId: w.r2.id });
    const admins = await w.customer();
    for (const [as, target] of [
      [w.r1, String(r2s.id)],
      [w.r1, String(admins.id)],
      [w.r1, String(w.r1.id)],
      [w.admin, String(r2s.id)],
      [w.accNotes, String(r2s.id)],
      [w.admin, '0'],
      [w.admin, ''],
      [w.admin, 'abc'],
      [w.admin, '99999999'],
    ] as const) {
      expect((await create(as, valid(0, { user_id: target }))).body).toBe(pageErrorXml('User was not found'));
    }
    expect(await notesOf(api, r2s.id)).toEqual([]);
  });

  it('answers Credit note was not created for a missing or bad price or issue date', async () => {
    const user = await w.customer();
    for (const patch of [
      { price: '' } as Record<string, string>,
      { price: 'abc' },
      { price: '1e3' },
      { price: '999999999999999' },
      { issue_date: '' },
      { issue_date: '0' },
      { issue_date: '2024-05-01' },
      { issue_date: '-5' },
    ]) {
      expect((await create(w.admin, valid(user.id, patch))).body).toBe(pageErrorXml('Credit note was not created'));
    }
    // A price that fits but whose tax does not.
    expect((await create(w.admin, valid(user.id, { price: '99999999999999' }))).body).toBe(
      pageErrorXml('Credit note was not created'),
    );
    expect(await notesOf(api, user.id)).toEqual([]);
  });

  it('creates one note for 50 concurrent retries with one key, answered alike', async () => {
    const user = await w.customer();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        create(w.admin, valid(user.id, { number: 'once' }), { headers: { 'Idempotency-Key': 'cn-create-1' } }),
      ),
    );
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([CREATED]));
    expect(await notesOf(api, user.id)).toHaveLength(1);
    const other = await create(w.admin, valid(user.id, { number: 'twice' }), {
      headers: { 'Idempotency-Key': 'cn-create-1' },
    });
    expect(other.body).toBe(pageErrorXml('Idempotency key was already used for another request'));
    expect(await notesOf(api, user.id)).toHaveLength(1);
  });
});
