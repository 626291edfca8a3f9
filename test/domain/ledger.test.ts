import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

const movementsOf = (userId: number) =>
  queryRows<{ amount: string; balance_after: string; source: string; source_id: number | null; actor_id: number }>(
    api.handle.db,
    sql`select amount::text, balance_after::text, source, source_id::int, actor_id from ledger where user_id = ${userId} order by id`,
  );

const balanceUpdate = (userId: number, balance: string, headers: Record<string, string> = {}, extra = {}) =>
  api.call(
    'user_balance_update',
    { u: 'admin', user_id: String(userId), balance, ...extra },
    { hashOf: ['user_id', 'balance'], headers },
  );

describe('the ledger', () => {
  it('opens an account created with a balance and appends one movement per balance change', async () => {
    const user = await createUser(api.handle, { balance: '10' });
    await balanceUpdate(user.id, '-2.5');
    await admin().users.changeBalance.mutate({ id: user.id, amount: '0.000001' });
    expect(await movementsOf(user.id)).toEqual([
      { amount: '10.000000', balance_after: '10.000000', source: 'opening', source_id: user.id, actor_id: null },
      { amount: '-2.500000', balance_after: '7.500000', source: 'balance_update', source_id: null, actor_id: 0 },
      { amount: '0.000001', balance_after: '7.500001', source: 'balance_update', source_id: null, actor_id: 0 },
    ]);
    const page = await admin().ledger.list.query({ userId: user.id, limit: 2 });
    expect(page.movements.map((m) => m.amount)).toEqual(['0.000001', '-2.500000']);
    const next = await admin().ledger.list.query({ userId: user.id, limit: 2, cursor: page.nextCursor! });
    expect(next).toMatchObject({ movements: [{ source: 'opening', amount: '10.000000' }], nextCursor: null });
  });

  it('is append-only: a movement cannot be changed or removed', async () => {
    const user = await createUser(api.handle, { balance: '1' });
    for (const statement of [
      sql`update ledger set amount = 0 where user_id = ${user.id}`,
      sql`delete from ledger where user_id = ${user.id}`,
    ]) {
      await expect(api.handle.db.execute(statement)).rejects.toThrow();
    }
    expect(await movementsOf(user.id)).toHaveLength(1);
  });

  it('reconciles every account, and names one whose balance moved outside the ledger', async () => {
    const a = await createUser(api.handle, { balance: '5' });
    const b = await createUser(api.handle, { balance: '0' });
    await balanceUpdate(a.id, '1.25');
    await balanceUpdate(b.id, '3');
    const clean = await admin().ledger.reconcile.query();
    expect(clean.differences).toEqual([]);
    expect(clean.users).toBeGreaterThanOrEqual(3);
    expect(clean.movements).toBeGreaterThanOrEqual(3);
    // A write that bypasses the domain is caught.
    await api.handle.db.execute(sql`update users set balance = balance + 0.5 where id = ${b.id}`);
    const dirty = await admin().ledger.reconcile.query();
    expect(dirty.differences).toEqual([
      {
        account: 'user',
        id: b.id,
        realmId: 0,
        balance: '3.500000',
        ledger: '3.000000',
        difference: '0.500000',
        lastBalanceAfter: '3.000000',
      },
    ]);
    await api.handle.db.execute(sql`update users set balance = balance - 0.5 where id = ${b.id}`);
  });

  it("keeps a reseller to its realm's movements and reconciliation", async () => {
    const r1 = await createReseller(api.handle);
    const r2 = await createReseller(api.handle);
    const u1 = await createUser(api.handle, { ownerId: r1.id, balance: '7' });
    const u2 = await createUser(api.handle, { ownerId: r2.id, balance: '9' });
    const as1 = await callerAs(api, r1.username);
    const seen = await as1.ledger.list({});
    expect(seen.movements.map((m) => m.userId)).toEqual([u1.id]);
    expect((await as1.ledger.list({ userId: u2.id })).movements).toEqual([]);
    const books = await as1.ledger.reconcile();
    expect([books.users, books.differences]).toEqual([2, []]);
    const user = await callerAs(api, u2.username);
    expect((await user.ledger.list({})).movements.map((m) => m.userId)).toEqual([u2.id]);
    expect((await trpcError(() => user.ledger.reconcile())).code).toBe('FORBIDDEN');
  });
});

describe('idempotency keys', () => {
  it('moves money once for 50 concurrent XML retries with one Idempotency-Key, all answered alike', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => balanceUpdate(user.id, '4.2', { 'Idempotency-Key': 'order-1001' })),
    );
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]!.body).toContain('<balance>4.2000</balance>');
    expect((await movementsOf(user.id)).map((m) => m.amount)).toEqual(['4.200000']);
    // The same key later, with the parameter form and an alias: still the same request, same answer.
    const again = await api.call(
      'user_balance_change',
      { u: 'admin', user_id: String(user.id), balance: '4.2', idempotency_key: 'order-1001' },
      { hashOf: ['user_id', 'balance'], as: 'form' },
    );
    expect(again.body).toBe(answers[0]!.body);
    // The same key for another request is refused and moves nothing.
    const other = await balanceUpdate(user.id, '5', { 'Idempotency-Key': 'order-1001' });
    expect(other.body).toContain('<error>Idempotency key was already used for another request</error>');
    // Another caller's key space is its own.
    expect((await movementsOf(user.id)).map((m) => m.amount)).toEqual(['4.200000']);
  });

  it('keeps the key outside the MOR hash and refuses malformed keys', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const bad = await balanceUpdate(user.id, '1', { 'Idempotency-Key': 'has space' });
    expect(bad.body).toContain('<error>Invalid idempotency key</error>');
    const ok = await balanceUpdate(user.id, '1', {}, { idempotency_key: 'k-1' });
    expect(ok.body).toContain('<balance>1.0000</balance>');
    expect(await movementsOf(user.id)).toHaveLength(1);
  });

  it('moves money once for 50 concurrent tRPC retries with one idempotencyKey', async () => {
    const user = await createUser(api.handle, { balance: '0' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        admin().users.changeBalance.mutate({ id: user.id, amount: '1.5', idempotencyKey: 'trpc-1' }),
      ),
    );
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toMatchObject({ id: user.id, balance: '1.5000' });
    expect((await movementsOf(user.id)).map((m) => m.amount)).toEqual(['1.500000']);
    const reused = await trpcError(() =>
      callerAs(api, 'admin').then((c) => c.users.changeBalance({ id: user.id, amount: '2', idempotencyKey: 'trpc-1' })),
    );
    expect([reused.code, reused.message]).toEqual(['CONFLICT', 'Idempotency key was already used for another request']);
    // A failed request stores nothing: the retry runs again (and fails again the same way).
    const missing = await trpcError(() =>
      callerAs(api, 'admin').then((c) => c.users.changeBalance({ id: 999_999, amount: '2', idempotencyKey: 'trpc-2' })),
    );
    expect(missing.code).toBe('NOT_FOUND');
  });
});
