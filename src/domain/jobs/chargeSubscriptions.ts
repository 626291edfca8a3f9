import type { Db } from '../../db/types.ts';
import { systemZone } from '../settings/systemZone.ts';
import { chargeOne, dueCharges } from '../subscriptions/charges.ts';
import { localDay } from '../subscriptions/view.ts';
import { type Job, utcDay } from './job.ts';

/** How far back a run looks for periods still uncharged (days the job did not run). */
export const LOOK_BACK_DAYS = 40;

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Daily: charges prepaid subscribers what their subscriptions cost (domain/subscriptions/charges.ts:
 * one-time fees once, daily fees per day, monthly fees per calendar month at its start or end, or
 * per day; postpaid subscribers are billed by their invoices instead). The run for day D charges what
 * is due by D, but never past the current calendar day of the system time zone, and catches up on
 * periods up to LOOK_BACK_DAYS old that no run charged. Each charge is one transaction: the
 * `subscription_charges` row (unique per subscription and period), the `Subscription` payment and the
 * ledger movement — so a second run, a forced re-run or another instance charges nothing twice.
 */
export const chargeSubscriptionsJob: Job = {
  name: 'chargeSubscriptions',
  periodOf: utcDay,
  async run(ctx, period) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(period) || Number.isNaN(Date.parse(`${period}T00:00:00Z`))) {
      throw new Error(`chargeSubscriptions: bad period ${period}`);
    }
    const zone = await systemZone(ctx.db);
    const local = await localDay(ctx.db, zone, ctx.clock().toISOString());
    // The earlier of the two calendar dates (ISO dates sort as text).
    const today = [period, local].sort()[0]!;
    const due = await dueCharges(ctx.db, { zone, today, since: addDays(today, -LOOK_BACK_DAYS) });
    let charged = 0;
    for (const charge of due) {
      const done = await ctx.db.transaction((tx) => chargeOne({ db: tx as unknown as Db, ip: '' }, charge));
      if (done) charged++;
    }
    return { due: due.length, charged };
  },
};
