import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { createCallPartitions } from '../../src/domain/jobs/createCallPartitions.ts';
import { JOBS, runDueJobs } from '../../src/domain/jobs/jobs.ts';
import { useTestApp } from '../helpers/app.ts';

const api = useTestApp();
const at = (iso: string) => ({ db: api.handle.db, clock: () => new Date(iso), log: silentLog });
const partitions = async () =>
  (
    await queryRows<{ name: string }>(
      api.handle.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = 'calls' order by 1`,
    )
  ).map((r) => r.name);

describe('createCallPartitions', () => {
  it('keeps the current month and three ahead, once, on its daily tick', async () => {
    expect(JOBS.map((j) => j.name)).toContain('createCallPartitions');
    const outcomes = await runDueJobs(at('2031-11-20T03:00:00Z'));
    expect(outcomes.find((o) => o.job === 'createCallPartitions')).toEqual({
      job: 'createCallPartitions',
      period: '2031-11-20',
      ran: true,
      result: { months: ['2031-11', '2031-12', '2032-01', '2032-02'] },
    });
    const names = await partitions();
    expect(names).toEqual(
      expect.arrayContaining(['calls_y2031m11', 'calls_y2031m12', 'calls_y2032m01', 'calls_y2032m02']),
    );
    expect(names).not.toContain('calls_y2032m03');
    // A forced re-run changes nothing; the partitions take calls of their month.
    await createCallPartitions.run(at('2031-11-20T03:00:00Z'), '2031-11-20');
    expect(await partitions()).toEqual(names);
    await queryRows(
      api.handle.db,
      sql`insert into calls (user_id, calldate, uniqueid, disposition, rating_status)
        values (0, '2032-01-31T23:59:59Z', 'p-1', 'ANSWERED', 'rated')`,
    );
    const [row] = await queryRows<{ part: string }>(
      api.handle.db,
      sql`select tableoid::regclass::text as part from calls where uniqueid = 'p-1'`,
    );
    expect(row!.part).toBe('calls_y2032m01');
  });
});
