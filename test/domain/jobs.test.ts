import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import type { Job } from '../../src/domain/jobs/job.ts';
import { runDueJobs } from '../../src/domain/jobs/jobs.ts';
import { runJob } from '../../src/domain/jobs/runJob.ts';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/factories.ts';

const api = useTestApp();
const at = (iso: string) => ({ db: api.handle.db, clock: () => new Date(iso), log: silentLog });

/** A job that counts its runs in a table of its own and can be told to fail or to wait. */
function countingJob(name: string, behaviour: { fail?: boolean; gate?: Promise<void> } = {}): Job {
  return {
    name,
    periodOf: (now) => now.toISOString().slice(0, 7),
    async run(ctx, period) {
      await behaviour.gate;
      if (behaviour.fail) throw new Error('boom');
      await ctx.db.execute(sql`insert into job_probe (job, period) values (${name}, ${period})`);
      return { period };
    },
  };
}

const probes = async (name: string) =>
  (await queryRows<{ n: number }>(api.handle.db, sql`select count(*)::int as n from job_probe where job = ${name}`))[0]!
    .n;

describe('scheduled jobs', () => {
  it('runs a period once per tick, re-runs it only when forced, and reports a run in progress', async () => {
    await api.handle.db.execute(sql`create table if not exists job_probe (job text, period text)`);
    const job = countingJob('probe-a');
    const dec = at('2026-12-06T10:00:00Z');
    expect(await runJob(dec, job)).toEqual({
      job: 'probe-a',
      period: '2026-12',
      ran: true,
      result: { period: '2026-12' },
    });
    expect(await runJob(dec, job)).toEqual({ job: 'probe-a', period: '2026-12', ran: false, reason: 'done' });
    expect((await runJob(dec, job, { force: true })).ran).toBe(true);
    expect((await runJob(at('2027-01-01T00:00:00Z'), job)).period).toBe('2027-01');
    expect(await probes('probe-a')).toBe(3);

    // Two instances at once: one runs, the other sees it running.
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const slow = countingJob('probe-b', { gate });
    const first = runJob(dec, slow);
    await new Promise((r) => setTimeout(r, 200));
    expect(await runJob(dec, slow, { force: true })).toMatchObject({ ran: false, reason: 'running' });
    open();
    expect((await first).ran).toBe(true);
    expect(await probes('probe-b')).toBe(1);
  });

  it('retries a failed or abandoned run after it went stale, never while it may still be running', async () => {
    const failing = countingJob('probe-c', { fail: true });
    await expect(runJob(at('2026-12-06T10:00:00Z'), failing)).rejects.toThrow('boom');
    const healed = countingJob('probe-c');
    expect(await runJob(at('2026-12-06T10:10:00Z'), healed)).toMatchObject({ ran: false, reason: 'running' });
    expect(await runJob(at('2026-12-06T10:16:00Z'), healed)).toMatchObject({ ran: true });
    expect(await probes('probe-c')).toBe(1);
  });

  it('prunes idempotency keys older than 48 hours on its daily tick', async () => {
    const user = await createUser(api.handle);
    await api.handle.db.execute(sql`insert into idempotency_keys (account_id, key, fingerprint, created_at) values
      (${user.id}, 'old', 'f', '2026-12-01T00:00:00Z'), (${user.id}, 'new', 'f', '2026-12-05T12:00:00Z')`);
    const outcomes = await runDueJobs(at('2026-12-06T10:00:00Z'));
    expect(outcomes).toContainEqual({
      job: 'pruneIdempotencyKeys',
      period: '2026-12-06',
      ran: true,
      result: { pruned: 1 },
    });
    const left = await queryRows<{ key: string }>(
      api.handle.db,
      sql`select key from idempotency_keys where account_id = ${user.id}`,
    );
    expect(left).toEqual([{ key: 'new' }]);
  });

  it('lets only the admin run a job on demand', async () => {
    const admin = await callerAs(api, 'admin');
    const outcome = await admin.jobs.run({ job: 'pruneIdempotencyKeys', period: '2020-01-01' });
    expect(outcome).toMatchObject({ job: 'pruneIdempotencyKeys', period: '2020-01-01', ran: true });
    expect((await trpcError(() => admin.jobs.run({ job: 'nope' }))).code).toBe('NOT_FOUND');
    const user = await createUser(api.handle);
    const asUser = await callerAs(api, user.username);
    expect((await trpcError(() => asUser.jobs.run({ job: 'pruneIdempotencyKeys' }))).code).toBe('FORBIDDEN');
  });
});
