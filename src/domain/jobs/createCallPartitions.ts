import { ensurePartitions } from '../calls/ingestCalls.ts';
import { type Job, utcDay } from './job.ts';

/** Months kept ready beyond the current one. */
export const MONTHS_AHEAD = 3;

/**
 * Daily: the month partitions of the calls table for the current month and the next MONTHS_AHEAD,
 * created when missing (a partition is created once; re-runs change nothing). Ingestion never waits
 * for a new month's DDL, and a backfill creates the old months it needs itself.
 */
export const createCallPartitions: Job = {
  name: 'createCallPartitions',
  periodOf: utcDay,
  async run(ctx, period) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(period)) throw new Error(`createCallPartitions: bad period ${period}`);
    const [y, m] = period.split('-').map(Number) as [number, number];
    const months: string[] = [];
    for (let k = 0; k <= MONTHS_AHEAD; k++) months.push(new Date(Date.UTC(y, m - 1 + k, 1)).toISOString().slice(0, 7));
    await ensurePartitions(ctx, months);
    return { months };
  },
};
