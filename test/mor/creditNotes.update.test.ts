import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import {
  balanceOf,
  type Caller,
  type MoneyWorld,
  moneyWorld,
  movementsOf,
  noteFor,
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

const UPDATED = `${XML_DECL}\n<page>\n  <status>Credit note was updated</status>\n</page>\n`;
const update = (as: Caller, id: number | string, extra: Record<string, string> = {}, options = {}) =>
  as.call('credit_note_update', { credit_note_id: String(id), ...extra }, ['credit_note_id'], options);

describe('credit_note_update', () => {
  it('marks a note paid: a Credit note payment, the balance raised by the price through the ledger', async () => {
    const user = await w.customer({ balance: '5' });
    const id = await noteFor(api, w.admin, user.id, '10');
    expect((await update(w.admin, id, { status: 'paid' })).body).toBe(UPDATED);
    const [payment] = await paymentsOf(api, user.id);
    expect(payment).toMatchObject({
      owner_id: 0,
      paymenttype: 'Credit note',
      currency: 'USD',
      amount: '10.000000',
      tax: '2.000000',
      gross: '12.000000',
      completed: true,
      credit_note_id: id,
      balance_before: '5.000000',
      balance_after: '15.000000',
    });
    expect((await notesOf(api, user.id))[0]).toMatchObject({ status: 'paid', paid_at: true, payment_id: payment!.id });
    expect(await balanceOf(api, user.id)).toBe('15.000000');
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '10.000000', balance_after: '15.000000', source: 'credit_note', source_id: id },
    ]);
    // Paid again: nothing changes.
    expect((await update(w.admin, id, { status: 'paid' })).body).toBe(UPDATED);
    expect(await paymentsOf(api, user.id)).toHaveLength(1);
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    const logs = await api.handle.db.select().from(actions).where(eq(actions.targetId, id));
    expect(logs.filter((l) => l.action === 'credit_note_updated').map((l) => [l.data, l.data2])).toEqual([
      ['unpaid', 'paid'],
      ['paid', 'paid'],
    ]);
  });

  it('marks a paid note unpaid again: its payment is removed and the balance lowered by the price', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await noteFor(api, w.admin, user.id, '7.5');
    await update(w.admin, id, { status: 'paid' });
    expect((await update(w.admin, id, { status: 'unpaid' })).body).toBe(UPDATED);
    expect(await paymentsOf(api, user.id)).toEqual([]);
    expect((await notesOf(api, user.id))[0]).toMatchObject({ status: 'unpaid', paid_at: false, payment_id: null });
    expect(await balanceOf(api, user.id)).toBe('0.000000');
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '7.500000', balance_after: '7.500000', source: 'credit_note', source_id: id },
      { amount: '-7.500000', balance_after: '0.000000', source: 'credit_note_reversal', source_id: id },
    ]);
    // Unpaid again: nothing moves. Paid again: a new payment, the balance up again.
    await update(w.admin, id, { status: 'unpaid' });
    expect(await movementsOf(api, user.id)).toHaveLength(2);
    await update(w.admin, id, { status: 'paid' });
    expect(await paymentsOf(api, user.id)).toHaveLength(1);
    expect(await balanceOf(api, user.id)).toBe('7.500000');
  });

  it('moves the balance down for a negative price', async () => {
    const user = await w.customer({ balance: '10' });
    const id = await noteFor(api, w.admin, user.id, '-4');
    await update(w.admin, id, { status: 'paid' });
    expect(await balanceOf(api, user.id)).toBe('6.000000');
    await update(w.admin, id, { status: 'unpaid' });
    expect(await balanceOf(api, user.id)).toBe('10.000000');
  });

  it('replaces or clears the comment; other status values and an empty call change nothing', async () => {
    const user = await w.customer();
    const id = await noteFor(api, w.admin, user.id, '1', { comment: 'old' });
    await update(w.admin, id, { comment: 'new' });
    expect((await notesOf(api, user.id))[0]).toMatchObject({ comment: 'new', status: 'unpaid' });
    await update(w.admin, id, { comment: '' });
    expect((await notesOf(api, user.id))[0]).toMatchObject({ comment: '' });
    for (const extra of [{ status: 'PAID' }, { status: 'cancelled' }, {}] as Record<string, string>[]) {
      expect((await update(w.admin, id, extra)).body).toBe(UPDATED);
    }
    expect((await notesOf(api, user.id))[0]).toMatchObject({ status: 'unpaid' });
    expect(await movementsOf(api, user.id)).toEqual([]);
  });

  it("hashes credit_note_id (example f7c3bc1d…); status-only and key-only digests, which don't name the note, are refused", async () => {
    expect(await api.hash({ credit_note_id: '123' }, ['credit_note_id'], '456789')).toBe(
      'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
    );
    const user = await w.customer();
    const id = await noteFor(api, w.admin, user.id, '1');
    for (const order of [['status'], [], ['status', 'credit_note_id']]) {
      const res = await w.admin.call('credit_note_update', { credit_note_id: String(id), status: 'paid' }, order);
      expect(res.body).toBe(statusErrorXml('Incorrect hash'));
    }
    expect((await notesOf(api, user.id))[0]).toMatchObject({ status: 'unpaid' });
    expect((await update(w.admin, id, { status: 'paid' }, { prefix: '/api' })).body).toBe(UPDATED);
  });

  it('keeps resellers to their users and lets accountants with the rights act in the admin realm', async () => {
    const r1s = await w.customer({ ownerId: w.r1.id, balance: '0' });
    const r2s = await w.customer({ ownerId: w.r2.id, balance: '0' });
    const admins = await w.customer({ balance: '0' });
    const n1 = await noteFor(api, w.r1, r1s.id, '2');
    const n2 = await noteFor(api, w.r2, r2s.id, '2');
    const n0 = await noteFor(api, w.admin, admins.id, '2');
    expect((await update(w.r1, n1, { status: 'paid' })).body).toBe(UPDATED);
    expect(await paymentsOf(api, r1s.id)).toMatchObject([{ owner_id: w.r1.id }]);
    for (const [as, id] of [
      [w.r1, n2],
      [w.r1, n0],
      [w.admin, n1],
      [w.accNotes, n2],
    ] as const) {
      expect((await update(as, id, { status: 'paid' })).body).toBe(pageErrorXml('Credit note was not found'));
    }
    expect(await balanceOf(api, r2s.id)).toBe('0.000000');
    expect((await update(w.accNotes, n0, { status: 'paid' })).body).toBe(UPDATED);
    expect(await balanceOf(api, admins.id)).toBe('2.000000');
  });

  it('answers Bad login to unknown callers, simple users, partners and accountants without the rights', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await noteFor(api, w.admin, user.id, '3');
    expect(
      (await api.call('credit_note_update', { u: 'x', credit_note_id: String(id) }, { hashOf: ['credit_note_id'] }))
        .body,
    ).toBe(pageErrorXml('Bad login'));
    for (const caller of [w.user, w.partner, w.accNone, w.accPay, w.accNotesRead]) {
      expect((await update(caller, id, { status: 'paid' })).body).toBe(pageErrorXml('Bad login'));
    }
    // Manage invoices (write) without See financial data: the comment, never the status.
    expect((await update(w.accNotesBlind, id, { status: 'paid' })).body).toBe(pageErrorXml('Bad login'));
    expect((await update(w.accNotesBlind, id, { comment: 'seen' })).body).toBe(UPDATED);
    expect((await notesOf(api, user.id))[0]).toMatchObject({ status: 'unpaid', comment: 'seen' });
  });

  it('answers Credit note was not found for a missing, malformed or unknown id', async () => {
    for (const id of ['', 'abc', '-1', '99999999']) {
      expect((await update(w.admin, id, { status: 'paid' })).body).toBe(pageErrorXml('Credit note was not found'));
    }
  });

  it('answers Credit note was not saved when the balance cannot hold the change, and changes nothing', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await noteFor(api, w.admin, user.id, '10');
    // A balance at the column's limit (moved through the ledger, as every balance).
    await w.admin.call('user_balance_update', { user_id: String(user.id), balance: '99999999999995' }, [
      'user_id',
      'balance',
    ]);
    expect((await update(w.admin, id, { status: 'paid' })).body).toBe(pageErrorXml('Credit note was not saved'));
    expect((await notesOf(api, user.id))[0]).toMatchObject({ status: 'unpaid', payment_id: null });
    expect(await paymentsOf(api, user.id)).toEqual([]);
    expect(await balanceOf(api, user.id)).toBe('99999999999995.000000');
  });
});

describe('credit_note_update exactly once', () => {
  it('pays once for 50 concurrent retries with one key, answered alike; another request with it is refused', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await noteFor(api, w.admin, user.id, '3');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        update(w.admin, id, { status: 'paid' }, { headers: { 'Idempotency-Key': 'cn-pay-1' } }),
      ),
    );
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([UPDATED]));
    expect(await paymentsOf(api, user.id)).toHaveLength(1);
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    const other = await update(w.admin, id, { status: 'unpaid' }, { headers: { 'Idempotency-Key': 'cn-pay-1' } });
    expect(other.body).toBe(pageErrorXml('Idempotency key was already used for another request'));
    expect(await balanceOf(api, user.id)).toBe('3.000000');
  });

  it('pays once for 50 concurrent updates without a key (the note row is locked)', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await noteFor(api, w.admin, user.id, '2');
    const answers = await Promise.all(Array.from({ length: 50 }, () => update(w.admin, id, { status: 'paid' })));
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([UPDATED]));
    expect(await paymentsOf(api, user.id)).toHaveLength(1);
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '2.000000', balance_after: '2.000000', source: 'credit_note', source_id: id },
    ]);
    // Concurrent unpay / pay flips end consistent: balance = price × (paid ? 1 : 0).
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => update(w.admin, id, { status: i % 2 === 0 ? 'unpaid' : 'paid' })),
    );
    const [note] = await notesOf(api, user.id);
    const payments = await paymentsOf(api, user.id);
    expect(payments).toHaveLength(note!.status === 'paid' ? 1 : 0);
    expect(await balanceOf(api, user.id)).toBe(note!.status === 'paid' ? '2.000000' : '0.000000');
  });
});
