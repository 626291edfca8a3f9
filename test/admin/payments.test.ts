import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { setConflines } from '../helpers/factories.ts';
import {
  balanceOf,
  type MoneyWorld,
  moneyWorld,
  movementsOf,
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

/** A payment waiting for confirmation, made through payment_create with API Payment Confirmation on. */
async function waitingPayment(as: MoneyWorld['admin'], userId: number, amount: string): Promise<number> {
  await setConflines(api.handle, 0, { api_payment_confirmation: '1' });
  api.changed();
  try {
    const res = await as.call('payment_create', { user_id: String(userId), p_currency: 'EUR', amount }, [
      'user_id',
      'p_currency',
      'paymenttype',
      'tax_in_amount',
      'amount',
      'transaction',
      'payer_email',
    ]);
    return Number(/<payment_id>(\d+)</.exec(res.body)![1]);
  } finally {
    await setConflines(api.handle, 0, { api_payment_confirmation: '0' });
    api.changed();
  }
}

describe('payments procedures', () => {
  it('create: a completed Manual payment, decimal strings, the net converted onto the balance', async () => {
    const user = await w.customer({ balance: '1' });
    const p = await admin().payments.create.mutate({
      userId: user.id,
      currency: 'EUR',
      amount: '12',
      taxInAmount: true,
      transactionId: 'T-1',
      comment: 'private',
      commentsForUser: 'hi',
    });
    expect(p).toMatchObject({
      userId: user.id,
      ownerId: 0,
      user: user.username,
      paymenttype: 'Manual',
      currency: 'EUR',
      amount: '10.000000',
      tax: '2.000000',
      gross: '12.000000',
      fee: '0.000000',
      exchangeRate: '0.800000000000',
      completed: true,
      confirmation: 'not_needed',
      transactionId: 'T-1',
      comment: 'private',
      commentsForUser: 'hi',
      balanceBefore: '1.000000',
      balanceAfter: '13.500000',
    });
    expect(p.dateAdded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '12.500000', balance_after: '13.500000', source: 'payment', source_id: p.id },
    ]);
  });

  it('refuses unknown keys and malformed money', async () => {
    const user = await w.customer();
    const caller = await callerAs(api, TEST.adminUsername);
    const extra = await trpcError(() =>
      caller.payments.create({ userId: user.id, currency: 'USD', amount: '1', bogus: 1 } as never),
    );
    expect(extra.code).toBe('BAD_REQUEST');
    const bad = await trpcError(() => caller.payments.create({ userId: user.id, currency: 'USD', amount: '1e3' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect((await trpcError(() => caller.payments.list({ nope: true } as never))).code).toBe('BAD_REQUEST');
    expect(await paymentsOf(api, user.id)).toEqual([]);
  });

  it('is scoped like the XML side: resellers their users, accountants with Payments, users read their own', async () => {
    const r1s = await w.customer({ ownerId: w.r1.id });
    const r2s = await w.customer({ ownerId: w.r2.id });
    const r1 = await callerAs(api, w.r1.username);
    const mine = await r1.payments.create({ userId: r1s.id, currency: 'USD', amount: '2' });
    expect(mine.ownerId).toBe(w.r1.id);
    const denied = await trpcError(() => r1.payments.create({ userId: r2s.id, currency: 'USD', amount: '2' }));
    expect([denied.code, denied.message]).toEqual(['NOT_FOUND', 'Access Denied']);
    expect((await r1.payments.list({ userId: r1s.id })).payments.map((p) => p.id)).toEqual([mine.id]);
    expect((await trpcError(() => r1.payments.list({ userId: r2s.id }))).code).toBe('FORBIDDEN');
    expect((await (await callerAs(api, w.r2.username)).payments.list({})).payments.map((p) => p.id)).not.toContain(
      mine.id,
    );
    for (const name of [w.user.username, w.accPayRead.username, w.accNone.username]) {
      const as = await callerAs(api, name);
      expect((await trpcError(() => as.payments.create({ userId: r1s.id, currency: 'USD', amount: '1' }))).code).toBe(
        'FORBIDDEN',
      );
    }
    // A simple user reads its own payments, without the private comment.
    await admin().payments.create.mutate({ userId: w.user.id, currency: 'USD', amount: '1', comment: 'secret' });
    const own = await (await callerAs(api, w.user.username)).payments.list({});
    expect(own.payments.map((p) => [p.userId, p.comment])).toEqual([[w.user.id, '']]);
  });

  it('list: filters, paging and the total', async () => {
    const user = await w.customer();
    for (const amount of ['1', '2', '3', '4', '5']) {
      await admin().payments.create.mutate({ userId: user.id, currency: 'USD', amount, paymenttype: 'paged' });
    }
    const page = await admin().payments.list.query({ userId: user.id, amountMin: '2', limit: 2, offset: 1 });
    expect([page.total, page.payments.map((p) => p.amount)]).toEqual([4, ['3.000000', '4.000000']]);
    const today = await admin().payments.list.query({ userId: user.id, today: true, paymenttype: 'PAGED' });
    expect(today.total).toBe(5);
    const none = await admin().payments.list.query({ userId: user.id, till: '2000-01-01T00:00:00Z' });
    expect(none).toEqual({ total: 0, payments: [] });
  });

  it('confirm: completes a waiting payment with its stored rate, once; other realms and states refused', async () => {
    const user = await w.customer({ balance: '0' });
    const id = await waitingPayment(w.admin, user.id, '4');
    expect(await balanceOf(api, user.id)).toBe('0.000000');
    const confirmed = await admin().payments.confirm.mutate({ id: id });
    expect(confirmed).toMatchObject({ id, completed: true, confirmation: 'confirmed', balanceAfter: '5.000000' });
    expect(confirmed.confirmedAt).not.toBeNull();
    const again = await trpcError(() => callerAs(api, 'admin').then((c) => c.payments.confirm({ id: id })));
    expect([again.code, again.message]).toEqual(['CONFLICT', 'Payment is not waiting for confirmation']);
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    // A reseller confirms its users' payments, not the admin's; users never.
    const r1s = await w.customer({ ownerId: w.r1.id, balance: '0' });
    const r1Waiting = await waitingPayment(w.r1, r1s.id, '1');
    const adminsWaiting = await waitingPayment(w.admin, user.id, '1');
    const r1 = await callerAs(api, w.r1.username);
    expect((await trpcError(() => r1.payments.confirm({ id: adminsWaiting }))).code).toBe('NOT_FOUND');
    const adminCaller = await callerAs(api, 'admin');
    const notMine = await trpcError(() => adminCaller.payments.confirm({ id: r1Waiting }));
    expect([notMine.code, notMine.message]).toEqual(['NOT_FOUND', 'Payment was not found']);
    const user1 = await callerAs(api, w.user.username);
    expect((await trpcError(() => user1.payments.confirm({ id: r1Waiting }))).code).toBe('FORBIDDEN');
    expect((await r1.payments.confirm({ id: r1Waiting })).balanceAfter).toBe('1.250000');
    // An accountant needs Payments (write).
    const accRead = await callerAs(api, w.accPayRead.username);
    expect((await trpcError(() => accRead.payments.confirm({ id: adminsWaiting }))).code).toBe('FORBIDDEN');
    const acc = await callerAs(api, w.accPay.username);
    expect((await acc.payments.confirm({ id: adminsWaiting })).completed).toBe(true);
  });
});

describe('payment settings', () => {
  it('exposes API allow Payments and API Payment Confirmation in settings.get/update, in effect on the next request', async () => {
    const user = await w.customer({ balance: '0' });
    const call = () =>
      w.admin.call('payment_create', { user_id: String(user.id), p_currency: 'USD', amount: '1' }, [
        'user_id',
        'p_currency',
        'amount',
      ]);
    expect(await admin().settings.get.query()).toMatchObject({ allowApiPayments: true, apiPaymentConfirmation: false });
    expect(await admin().settings.update.mutate({ apiPaymentConfirmation: true })).toMatchObject({
      apiPaymentConfirmation: true,
    });
    try {
      expect((await call()).body).toContain('<confirmed>No</confirmed>');
      await admin().settings.update.mutate({ allowApiPayments: false });
      expect((await call()).body).toContain('<error>Feature Disabled</error>');
    } finally {
      await admin().settings.update.mutate({ allowApiPayments: true, apiPaymentConfirmation: false });
    }
    expect((await call()).body).toContain('<confirmed>Yes</confirmed>');
    const reseller = await callerAs(api, w.r1.username);
    expect((await trpcError(() => reseller.settings.update({ apiPaymentConfirmation: true }))).code).toBe('FORBIDDEN');
  });
});

describe('payments exactly once', () => {
  it('create: 50 concurrent retries with one key make one payment and one movement, answered alike', async () => {
    const user = await w.customer({ balance: '0' });
    const input = { userId: user.id, currency: 'USD', amount: '2.5', idempotencyKey: 'trpc-pay-1' };
    const results = await Promise.all(Array.from({ length: 50 }, () => admin().payments.create.mutate(input)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await paymentsOf(api, user.id)).toHaveLength(1);
    expect(await movementsOf(api, user.id)).toHaveLength(1);
    const reused = await trpcError(() =>
      callerAs(api, 'admin').then((c) => c.payments.create({ ...input, amount: '3' })),
    );
    expect([reused.code, reused.message]).toEqual(['CONFLICT', 'Idempotency key was already used for another request']);
    expect(await balanceOf(api, user.id)).toBe('2.500000');
  });

  it('confirm: 50 concurrent confirmations move the money once, with or without a key', async () => {
    const user = await w.customer({ balance: '0' });
    const keyed = await waitingPayment(w.admin, user.id, '8');
    const same = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin().payments.confirm.mutate({ id: keyed, idempotencyKey: 'trpc-confirm-1' }),
      ),
    );
    expect(new Set(same.map((r) => JSON.stringify(r))).size).toBe(1);
    const bare = await waitingPayment(w.admin, user.id, '8');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => admin().payments.confirm.mutate({ id: bare })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await movementsOf(api, user.id)).toEqual([
      { amount: '10.000000', balance_after: '10.000000', source: 'payment', source_id: keyed },
      { amount: '10.000000', balance_after: '20.000000', source: 'payment', source_id: bare },
    ]);
  });
});
