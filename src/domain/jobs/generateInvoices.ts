import { generateInvoicesFor } from '../invoices/generateInvoices.ts';
import { monthPeriod, previousMonth } from '../invoices/period.ts';
import type { Job } from './job.ts';

/** A day: the job waits this long into a month, so the previous month has ended in every time zone. */
const DAY_MS = 86_400_000;

/**
 * Monthly: the invoices of the previous month (calendar dates in the system time zone) for every
 * invoiced user of every realm. Its period is that month (`2026-01` is run from 2026-02-02 UTC on).
 * Re-runs and a second instance create nothing: a user already invoiced for the month is skipped.
 */
export const generateInvoicesJob: Job = {
  name: 'generateInvoices',
  periodOf: (now) => previousMonth(new Date(now.getTime() - DAY_MS).toISOString().slice(0, 7)),
  async run(ctx, period) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new Error(`generateInvoices: bad period ${period}`);
    const result = await generateInvoicesFor(ctx, monthPeriod(period), null);
    return { created: result.created, realms: result.realms.length };
  },
};
