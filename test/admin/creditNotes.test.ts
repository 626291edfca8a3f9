import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  balanceOf,
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
const admin = () => clientWith(api, TEST.adminToken);
beforeAll(async () => {
  w = await moneyWorld(api);
});

describe('creditNotes procedures', () => {
  it('create → get → update (paid, unpaid) → delete, with decimal strings and the ledger', async () => {
    const user = await w.customer({ balance: '0' });
    const note = await admin().creditNotes.create.mutate({
      userId: user.id,
      number: 'CN-1',
      price: '10',
      issueDate: '2024-05-01T00:00:00Z',
      comment: 'c',
    });
    expect(note).toEqual({
      id: note.id,
      userId: user.id,
      ownerId: 0,
      number: 'CN-1',
      issueDate: '2024-05-01T00:00:00.000Z',
      price: '10.000000',
      comment: 'c',
      priceWithVat: '12.000000',
      taxes: { compound: false, taxes: [{ name: 'VAT', percent: '20.0000' }] },
      status: 'unpaid',
      payDate: null,
      paymentId: null,
      issueDateLocal: '2024-05-01 00:00:00',
      payDateLocal: '',
    });
    expect(await admin().creditNotes.get.query({ id: note.id })).toEqual(note);
    const paid = await admin().creditNotes.update.mutate({ id: note.id, status: 'paid' });
    expect(paid).toMatchObject({ status: 'paid', paymentId: expect.any(Number) });
    expect(paid.payDate).not.toBeNull();
    expect(await balanceOf(api, user.id)).toBe('10.000000');
    const unpaid = await admin().creditNotes.update.mutate({ id: note.id, status: 'unpaid', comment: 'x' });
    expect(unpaid).toMatchObject({ status: 'unpaid', paymentId: null, payDate: null, comment: 'x' });
    expect(await balanceOf(api, user.id)).toBe('0.000000');
    await admin().creditNotes.update.mutate({ id: note.id, status: 'paid' });
    expect(await admin().creditNotes.delete.mutate({ id: note.id })).toEqual({ id: note.id, status: 'paid' });
    expect(await balanceOf(api, user.id)).toBe('10.000000');
    expect(await paymentsOf(api, user.id)).toMatchObject([{ paymenttype: 'Credit note', credit_note_id: null }]);
    expect((await trpcError(() => callerAs(api, 'admin').then((c) => c.creditNotes.get({ id: note.id })))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses unknown keys and malformed input', async () => {
    const user = await w.customer();
    const caller = await callerAs(api, 'admin');
    const base = { userId: user.id, price: '1', issueDate: '2024-05-01T00:00:00Z' };
    for (const input of [
      { ...base, extra: true },
      { ...base, price: 'ten' },
      { ...base, issueDate: 'yesterday' },
    ]) {
      expect((await trpcError(() => caller.creditNotes.create(input as never))).code).toBe('BAD_REQUEST');
    }
    expect((await trpcError(() => caller.creditNotes.update({ creditNoteId: 1, status: 'void' } as never))).code).toBe(
      'BAD_REQUEST',
    );
    expect(await notesOf(api, user.id)).toEqual([]);
  });

  it('is scoped like the XML side; simple users read their own notes and nothing else', async () => {
    const r1s = await w.customer({ ownerId: w.r1.id });
    const r2s = await w.customer({ ownerId: w.r2.id });
    const r1 = await callerAs(api, w.r1.username);
    const r2 = await callerAs(api, w.r2.username);
    const mine = await r1.creditNotes.create({ userId: r1s.id, price: '1', issueDate: '2024-05-01T00:00:00Z' });
    expect(mine.ownerId).toBe(w.r1.id);
    const missing = await trpcError(() =>
      r1.creditNotes.create({ userId: r2s.id, price: '1', issueDate: '2024-05-01T00:00:00Z' }),
    );
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'User was not found']);
    for (const attempt of [
      () => r2.creditNotes.get({ id: mine.id }),
      () => r2.creditNotes.update({ id: mine.id, status: 'paid' }),
      () => r2.creditNotes.delete({ id: mine.id }),
    ]) {
      expect((await trpcError(attempt)).code).toBe('NOT_FOUND');
    }
    expect((await r2.creditNotes.list({})).creditNotes.map((n) => n.id)).not.toContain(mine.id);
    // A simple user: its own notes, read only.
    const own = await admin().creditNotes.create.mutate({
      userId: w.user.id,
      price: '2',
      issueDate: '2024-05-01T00:00:00Z',
    });
    const user = await callerAs(api, w.user.username);
    expect((await user.creditNotes.list({})).creditNotes.map((n) => n.id)).toEqual([own.id]);
    expect((await user.creditNotes.get({ id: own.id })).price).toBe('2.000000');
    expect((await trpcError(() => user.creditNotes.get({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => user.creditNotes.update({ id: own.id, status: 'paid' }))).code).toBe('FORBIDDEN');
    // An accountant without See financial data reads the reduced record.
    const blind = await callerAs(api, w.accNotesBlind.username);
    expect(await blind.creditNotes.get({ id: own.id })).toMatchObject({
      price: '2.000000',
      priceWithVat: null,
      taxes: null,
      status: null,
      payDate: null,
    });
    expect((await trpcError(async () => (await callerAs(api, w.accNone.username)).creditNotes.list({}))).code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('creditNotes exactly once', () => {
  it('update: 50 concurrent retries with one key pay once, answered alike; delete and create too', async () => {
    const user = await w.customer({ balance: '0' });
    const created = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin().creditNotes.create.mutate({
          userId: user.id,
          price: '4',
          issueDate: '2024-05-01T00:00:00Z',
          idempotencyKey: 'trpc-cn-create',
        }),
      ),
    );
    expect(new Set(created.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await notesOf(api, user.id)).toHaveLength(1);
    const id = created[0]!.id;
    const paid = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin().creditNotes.update.mutate({ id: id, status: 'paid', idempotencyKey: 'trpc-cn-pay' }),
      ),
    );
    expect(new Set(paid.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    const reused = await trpcError(() =>
      callerAs(api, 'admin').then((c) =>
        c.creditNotes.update({ id: id, status: 'unpaid', idempotencyKey: 'trpc-cn-pay' }),
      ),
    );
    expect([reused.code, reused.message]).toEqual(['CONFLICT', 'Idempotency key was already used for another request']);
    const deleted = await Promise.all(
      Array.from({ length: 50 }, () => admin().creditNotes.delete.mutate({ id: id, idempotencyKey: 'trpc-cn-del' })),
    );
    expect(new Set(deleted.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ id, status: 'paid' })]));
    expect(await balanceOf(api, user.id)).toBe('4.000000');
  });
});
