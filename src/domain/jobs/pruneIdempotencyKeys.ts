import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { KEY_TTL_HOURS } from '../idempotency/once.ts';
import { type Job, utcDay } from './job.ts';

/** Daily: forgets idempotency keys older than their time to live (48 hours). */
export const pruneIdempotencyKeys: Job = {
  name: 'pruneIdempotencyKeys',
  periodOf: utcDay,
  async run(ctx) {
    const rows = await queryRows<{ n: number }>(
      ctx.db,
      sql`with gone as (delete from idempotency_keys
          where created_at < ${ctx.clock().toISOString()}::timestamptz - make_interval(hours => ${KEY_TTL_HOURS}::int)
          returning 1)
        select count(*)::int as n from gone`,
    );
    return { pruned: rows[0]?.n ?? 0 };
  },
};
