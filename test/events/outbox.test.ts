import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import type { Db } from '../../src/db/types.ts';
import { moveUserBalance, moveUserBalances } from '../../src/domain/ledger/moveBalance.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createCardGroup, createReseller, createUser, insertCard } from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);

type Event = { id: number; event_id: string; type: string; realm_id: number; payload: Record<string, unknown> };
const eventsOf = (userId: number) =>
  queryRows<Event>(
    api.handle.db,
    sql`select id::int, event_id::text, type, realm_id, payload from outbox_events where user_id = ${userId} order by id`,
  );

describe('the outbox', () => {
  it('records a payment and the balance change it makes, in order, with stable unique ids', async () => {
    const reseller = await createReseller(api.handle);
    const other = await createUser(api.handle, { ownerId: reseller.id, balance: '2' });
    expect((await eventsOf(other.id)).map((e) => e.realm_id)).toEqual([reseller.id]);
    const user = await createUser(api.handle);
    await admin().payments.create.mutate({ userId: user.id, currency: 'USD', amount: '12.5' });
    const events = await eventsOf(user.id);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'balance.changed']);
    expect(events.every((e) => e.realm_id === 0)).toBe(true);
    expect(events[1]!.payload).toMatchObject({
      userId: user.id,
      source: 'payment',
      amount: '12.500000',
      balanceBefore: '0.000000',
      balanceAfter: '12.500000',
    });
    expect(events[0]!.payload).toMatchObject({ paymentId: events[1]!.payload.sourceId, amount: '12.500000' });
    expect(events[0]!.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(2);
  });

  it('gives events UUIDs of version 7: the database clock in their first 48 bits, in time order', async () => {
    const user = await createUser(api.handle);
    const [before] = await queryRows<{ ms: number }>(
      api.handle.db,
      sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`,
    );
    for (const amount of ['1', '2', '3']) {
      await admin().payments.create.mutate({ userId: user.id, currency: 'USD', amount });
    }
    const [after] = await queryRows<{ ms: number }>(
      api.handle.db,
      sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`,
    );
    const ids = (await eventsOf(user.id)).map((e) => e.event_id);
    expect(ids).toHaveLength(6);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(Math.floor(before!.ms));
      expect(ms).toBeLessThanOrEqual(Math.ceil(after!.ms));
    }
    // Events of different milliseconds sort by time (the rest of an id is random).
    const stamps = ids.map((id) => id.slice(0, 13));
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(ids).size).toBe(6);
  });

  it('writes nothing when the cause rolls back', async () => {
    const user = await createUser(api.handle, { balance: '1' });
    const before = await eventsOf(user.id);
    await expect(
      api.handle.db.transaction(async (tx) => {
        await moveUserBalance({ db: tx as unknown as Db, ip: '' }, user.id, { amount: '5', source: 'balance_update' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await eventsOf(user.id)).toEqual(before);
  });

  it('reports a batch of charged calls as one call.charged event per user', async () => {
    const user = await createUser(api.handle, { balance: '10' });
    await moveUserBalances({ db: api.handle.db }, 'call', [
      { userId: user.id, amount: '-1.5', sourceId: 101 },
      { userId: user.id, amount: '-0.25', sourceId: 102 },
    ]);
    const events = await eventsOf(user.id);
    expect(events.at(-1)).toMatchObject({
      type: 'call.charged',
      payload: {
        calls: 2,
        callIds: [101, 102],
        amount: '-1.750000',
        balanceBefore: '10.000000',
        balanceAfter: '8.250000',
      },
    });
  });

  it('raises balance.low once when a move crosses the warning level, and queues the warning e-mail', async () => {
    const user = await createUser(api.handle, { balance: '10', username: 'lowbal' });
    const [address] = await queryRows<{ id: number }>(
      api.handle.db,
      sql`insert into addresses (email) values ('low@example.test') returning id`,
    );
    await api.handle.db.execute(
      sql`update users set warning_email_active = true, warning_email_balance = 5, address_id = ${address!.id} where id = ${user.id}`,
    );
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-4' }); // 6: above
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-2' }); // 4: crosses
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-1' }); // 3: already below
    const low = (await eventsOf(user.id)).filter((e) => e.type === 'balance.low');
    expect(low).toHaveLength(1);
    expect(low[0]!.payload).toMatchObject({
      threshold: '5.000000',
      balanceBefore: '6.000000',
      balanceAfter: '4.000000',
    });
    const mails = await queryRows<{ recipient: string; subject: string; body: string; status: string }>(
      api.handle.db,
      sql`select recipient, subject, body, status from messages where user_id = ${user.id}`,
    );
    expect(mails).toEqual([
      {
        recipient: 'low@example.test',
        subject: 'Low balance warning',
        body: 'Hello lowbal,\n\nyour balance is 4.00, below your warning level of 5.00.\n',
        status: 'queued',
      },
    ]);
  });

  it('records a card sale', async () => {
    const group = await createCardGroup(api.handle);
    const card = await insertCard(api.handle, group, { number: '5550001', pin: '1234', balance: '3' });
    await api.handle.db.execute(sql`update cards set sold = true where id = ${card.id}`);
    await api.handle.db.execute(sql`update cards set balance = 2 where id = ${card.id}`);
    const sold = await queryRows<{ payload: Record<string, unknown> }>(
      api.handle.db,
      sql`select payload from outbox_events where type = 'card.sold' and (payload->>'cardId')::int = ${card.id}`,
    );
    expect(sold).toEqual([
      { payload: { cardId: card.id, number: '5550001', cardGroupId: group.id, balance: '3.000000' } },
    ]);
  });
});
