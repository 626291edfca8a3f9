import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { chargeSubscriptionsJob } from '../../src/domain/jobs/chargeSubscriptions.ts';
import { JOBS } from '../../src/domain/jobs/jobs.ts';
import { runJob } from '../../src/domain/jobs/runJob.ts';
import { callerAs } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { balanceOf, reconcileAfterEach } from '../helpers/money.ts';
import { insertService, type SubsWorld, subscribe, subsWorld } from '../helpers/subs.ts';

/** Subscriptions are made through subscription_create on 2026-03-15 12:00 UTC (system zone UTC). */
const NOW = new Date('2026-03-15T12:00:00Z');
const api = useTestApp({ clock: () => NOW });
reconcileAfterEach(api);
const at = (iso: string) => ({ db: api.handle.db, clock: () => new Date(iso), log: silentLog });
let w: SubsWorld;
beforeAll(async () => {
  w = await subsWorld(api);
});

const chargesOf = (userId: number) =>
  queryRows<{ start: string; amount: string }>(
    api.handle.db,
    sql`select to_char(period_start, 'YYYY-MM-DD') as start, amount::text from subscription_charges
      where user_id = ${userId} order by period_start`,
  );
const prepaid = (balance = '1000') => w.customer({ balance });

describe('chargeSubscriptions', () => {
  it('is a registered daily job', () => {
    expect(JOBS).toContain(chargeSubscriptionsJob);
    expect(chargeSubscriptionsJob.periodOf(new Date('2026-04-01T05:00:00Z'))).toBe('2026-04-01');
  });

  it('charges each prepaid schedule once per period, however often it runs; postpaid users never', async () => {
    const monthly = await prepaid();
    const atEnd = await prepaid();
    const daily = await prepaid();
    const once = await prepaid();
    const everyDay = await prepaid();
    const post = await w.customer({ balance: '1000' });
    await api.handle.db.execute(sql`update users set postpaid = true where id = ${post.id}`);
    const month31 = await insertService(api, { price: '31' });
    await subscribe(w.admin, monthly.id, month31, { subscription_discount_percent: '50' });
    await subscribe(w.admin, atEnd.id, month31, { subscription_charge_balance_on: '2' });
    await subscribe(w.admin, daily.id, await insertService(api, { period: 'day', price: '0.25' }));
    await subscribe(w.admin, once.id, await insertService(api, { type: 'one_time_fee', price: '9' }));
    await subscribe(w.admin, everyDay.id, month31, { subscription_charge_balance_on: '3' });
    await subscribe(w.admin, post.id, month31);
    // At creation: the current month (17 of 31 days, half price), today's day, the one-time fee, today's share.
    expect(await chargesOf(monthly.id)).toEqual([{ start: '2026-03-01', amount: '8.500000' }]);
    expect(await chargesOf(atEnd.id)).toEqual([]);
    expect(await chargesOf(once.id)).toEqual([{ start: '2026-03-15', amount: '9.000000' }]);

    // The job on 20 March catches up the days since; twice, and forced, changes nothing more.
    const march20 = at('2026-03-20T01:00:00Z');
    expect(await runJob(march20, chargeSubscriptionsJob)).toMatchObject({
      ran: true,
      result: { due: 10, charged: 10 },
    });
    expect(await runJob(march20, chargeSubscriptionsJob)).toMatchObject({ ran: false, reason: 'done' });
    expect(await runJob(march20, chargeSubscriptionsJob, { force: true })).toMatchObject({
      ran: true,
      result: { due: 0, charged: 0 },
    });
    expect((await chargesOf(daily.id)).map((c) => c.start)).toEqual([
      '2026-03-15',
      '2026-03-16',
      '2026-03-17',
      '2026-03-18',
      '2026-03-19',
      '2026-03-20',
    ]);
    expect((await chargesOf(everyDay.id)).map((c) => c.amount)).toEqual(Array(6).fill('1.000000'));
    expect(await balanceOf(api, daily.id)).toBe('998.500000');

    // 1 April: the new month at its start; the past month for "period end"; a new day.
    await runJob(at('2026-04-01T00:30:00Z'), chargeSubscriptionsJob);
    expect(await chargesOf(monthly.id)).toEqual([
      { start: '2026-03-01', amount: '8.500000' },
      { start: '2026-04-01', amount: '15.500000' },
    ]);
    expect(await chargesOf(atEnd.id)).toEqual([{ start: '2026-03-01', amount: '17.000000' }]);
    expect(await chargesOf(once.id)).toHaveLength(1);
    expect(await chargesOf(post.id)).toEqual([]);
    expect(await balanceOf(api, post.id)).toBe('1000.000000');
    expect(await balanceOf(api, monthly.id)).toBe('976.000000');
  });

  it('never charges ahead of the system time zone’s day, and the invoice lists prepaid charges without billing them again', async () => {
    await api.handle.db.execute(sql`update users set time_zone = 'America/New_York' where id = 0`);
    try {
      const user = await prepaid();
      await subscribe(w.admin, user.id, await insertService(api, { period: 'day', price: '1' }), {
        subscription_activation_start: String(Date.parse('2026-03-16T05:00:00Z') / 1000),
      });
      // 2026-03-17 02:00 UTC is still 16 March in New York: the run for the 17th charges the 16th only.
      await runJob(at('2026-03-17T02:00:00Z'), chargeSubscriptionsJob);
      expect((await chargesOf(user.id)).map((c) => c.start)).toEqual(['2026-03-16']);
      await runJob(at('2026-03-18T02:00:00Z'), chargeSubscriptionsJob);
      expect((await chargesOf(user.id)).map((c) => c.start)).toEqual(['2026-03-16', '2026-03-17']);
      const admin = await callerAs(api, TEST.adminUsername);
      await admin.invoices.generate({ periodStart: '2026-03-01', periodEnd: '2026-03-31', userIds: [user.id] });
      const [invoice] = await queryRows<{ price: string; paid: boolean; lines: number }>(
        api.handle.db,
        sql`select i.price::text, i.paid, (select count(*)::int from invoice_details d where d.invoice_id = i.id) as lines
          from invoices i where i.user_id = ${user.id}`,
      );
      expect(invoice).toEqual({ price: '2.000000', paid: true, lines: 2 });
      expect(await balanceOf(api, user.id)).toBe('998.000000');
    } finally {
      await api.handle.db.execute(sql`update users set time_zone = 'UTC' where id = 0`);
    }
  });

  it('two instances charging at once charge every period once (unique charge per subscription and period)', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => prepaid()));
    const daily = await insertService(api, { period: 'day', price: '0.1' });
    for (const u of users) {
      await subscribe(w.admin, u.id, daily, {
        subscription_activation_start: String(Date.parse('2026-03-15T00:00:00Z') / 1000),
      });
    }
    // Both bypass the job_runs claim (as a forced run beside a stale one would): the key alone decides.
    const ctx = at('2026-03-25T06:00:00Z');
    const results = await Promise.all([
      chargeSubscriptionsJob.run(ctx, '2026-03-25'),
      chargeSubscriptionsJob.run(ctx, '2026-03-25'),
      chargeSubscriptionsJob.run(ctx, '2026-03-25'),
    ]);
    const charged = results.reduce((n, r) => n + (r.charged as number), 0);
    for (const u of users) {
      expect((await chargesOf(u.id)).map((c) => c.start)).toHaveLength(11);
      expect(await balanceOf(api, u.id)).toBe('998.900000');
    }
    expect(charged).toBeGreaterThanOrEqual(40);
    // And through the claim: concurrent runs of one period, one runs.
    const outcomes = await Promise.all([
      runJob(at('2026-03-26T06:00:00Z'), chargeSubscriptionsJob),
      runJob(at('2026-03-26T06:00:00Z'), chargeSubscriptionsJob),
    ]);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    for (const u of users) expect(await chargesOf(u.id)).toHaveLength(12);
  });
});
