import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { balanceOf, reconcileAfterEach } from '../helpers/money.ts';
import { insertService, type SubsWorld, subsWorld } from '../helpers/subs.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
reconcileAfterEach(api);
let w: SubsWorld;
const admin = () => clientWith(api, TEST.adminToken);
beforeAll(async () => {
  w = await subsWorld(api);
});

describe('subscriptions procedures', () => {
  it('create (charged once per idempotency key) → get → list → update → delete with money return', async () => {
    const user = await w.customer({ balance: '100' });
    const serviceId = await insertService(api, { name: 'Rent', price: '31' });
    const input = { userId: user.id, serviceId, memo: 'm', discountPercent: '0', idempotencyKey: 'trpc-sub-1' };
    const created = await admin().subscriptions.create.mutate(input);
    expect(await admin().subscriptions.create.mutate(input)).toEqual(created);
    expect(created).toEqual({
      id: created.id,
      serviceId,
      userId: user.id,
      deviceId: null,
      user: user.username,
      service: 'Rent',
      type: 'periodic_fee',
      device: '',
      price: '31.000000',
      activationStart: '2026-03-15T12:00:00.000Z',
      activationEnd: null,
      from: '2026-03-15 12:00:00 +0000',
      till: '',
      memo: 'm',
      timeLeft: null,
      noExpiration: false,
      discountPercent: '0.0000',
      startPeriodDay: 1,
      startPeriodMonth: 1,
      chargeBalanceOn: 1,
      chargeForPast: false,
      charged: '17.000000',
    });
    expect(await balanceOf(api, user.id)).toBe('83.000000');
    expect(await admin().subscriptions.get.query({ id: created.id })).toEqual(created);
    expect(await admin().subscriptions.list.query({ userId: user.id })).toEqual([created]);
    const updated = await admin().subscriptions.update.mutate({
      id: created.id,
      activationEnd: '2026-06-30T23:59:59Z',
    });
    expect(updated).toMatchObject({ activationEnd: '2026-06-30T23:59:59.000Z', till: '2026-06-30 23:59:59 +0000' });
    const gone = await admin().subscriptions.delete.mutate({ id: created.id, action: 3 });
    expect(gone).toEqual({ id: created.id, action: 3, returned: '17.000000' });
    expect(await balanceOf(api, user.id)).toBe('100.000000');
  });

  it('errors carry the pages’ messages; scoped like the XML side; a simple user reads its own', async () => {
    const asAdmin = await callerAs(api, TEST.adminUsername);
    const poor = await w.customer({ balance: '1' });
    const costly = await insertService(api, { type: 'one_time_fee', price: '5' });
    const refused = await trpcError(() => asAdmin.subscriptions.create({ userId: poor.id, serviceId: costly }));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', 'User has insufficient balance']);
    const late = await trpcError(() =>
      asAdmin.subscriptions.create({
        userId: poor.id,
        serviceId: costly,
        activationStart: '2026-05-01T00:00:00Z',
        activationEnd: '2026-04-01T00:00:00Z',
      }),
    );
    expect(late.message).toBe('Activation start date must be earlier than end date');
    const r1User = await w.userOf(w.r1.id);
    await api.handle.db.execute(sql`update users set postpaid = true where id = ${r1User.id}`);
    const asR1 = await callerAs(api, w.r1.username);
    const mine = await asR1.subscriptions.create({
      userId: r1User.id,
      serviceId: await insertService(api, { ownerId: w.r1.id }),
    });
    const asR2 = await callerAs(api, w.r2.username);
    expect((await trpcError(() => asR2.subscriptions.get({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => asR2.subscriptions.delete({ id: mine.id, action: 1 }))).code).toBe('NOT_FOUND');
    expect(await asR2.subscriptions.list({})).toEqual([]);
    const [{ username }] = (await queryRows<{ username: string }>(
      api.handle.db,
      sql`select username from users where id = ${r1User.id}`,
    )) as [{ username: string }];
    const asUser = await callerAs(api, username);
    expect((await asUser.subscriptions.list({})).map((s) => s.id)).toEqual([mine.id]);
    expect((await trpcError(() => asUser.subscriptions.update({ id: mine.id, memo: 'x' }))).code).toBe('FORBIDDEN');
    const reader = await callerAs(api, w.accSubRead.username);
    const denied = await trpcError(() => reader.subscriptions.delete({ id: mine.id, action: 1 }));
    expect([denied.code, denied.message]).toEqual(['FORBIDDEN', 'You are not authorised to use this functionality']);
  });
});
