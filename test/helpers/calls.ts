import { sql } from 'drizzle-orm';
import { calls } from '../../src/db/partitioned/calls.ts';
import { callKeys } from '../../src/db/schema/calls.ts';
import type { DbHandle } from '../../src/db/types.ts';
import type { TestApi } from './app.ts';
import { TEST } from './db.ts';
import { createAccountant, createReseller, createUser } from './factories.ts';
import { callerOf } from './money.ts';

let seq = 0;

export type CallFixture = Omit<Partial<typeof calls.$inferInsert>, 'calldate'> & {
  userId: number;
  calldate: Date | string;
};

/**
 * Stores CDRs directly (test setup: the ingestion path is tested on its own), with their call_keys
 * rows, creating each month's partition first. Unanswered calls default to cost 0; everything else as given.
 */
export async function insertCalls(handle: DbHandle, rows: CallFixture[]): Promise<number[]> {
  const months = new Set(rows.map((r) => new Date(r.calldate).toISOString().slice(0, 7)));
  for (const month of months) {
    await handle.db.execute(sql`select openmor_calls_partition(${`${month}-01T00:00:00Z`}::timestamptz)`);
  }
  const values = rows.map((r) => ({
    uniqueid: `t${Date.now()}.${++seq}`,
    disposition: 'ANSWERED' as const,
    ratingStatus: r.disposition && r.disposition !== 'ANSWERED' ? ('unanswered' as const) : ('rated' as const),
    ...r,
    calldate: new Date(r.calldate),
  }));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 1000) {
    const inserted = await handle.db
      .insert(calls)
      .values(values.slice(i, i + 1000))
      .returning({ id: calls.id, uniqueid: calls.uniqueid, calldate: calls.calldate, userId: calls.userId });
    // Every stored call has its key, as ingestion writes it (a uniqueid is looked up through it).
    await handle.db
      .insert(callKeys)
      .values(inserted.map((c) => ({ uniqueid: c.uniqueid, callId: c.id, calldate: c.calldate, userId: c.userId })))
      .onConflictDoNothing();
    out.push(...inserted.map((x) => x.id));
  }
  return out;
}

/** Unix seconds of an ISO instant. */
export const unix = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

/**
 * Every role of the calls family: the admin, two resellers (keys r1-key, r2-key) with one user each,
 * a user of the admin, accountants with Calls and statistics (with and without See financial data)
 * and without it, a partner.
 */
export async function callsWorld(api: TestApi) {
  const h = api.handle;
  const of = (row: { id: number; username: string }, key: string = TEST.apiSecretKey) =>
    callerOf(api, row.id, row.username, key);
  const r1 = await createReseller(h, 'r1-key');
  const r2 = await createReseller(h, 'r2-key');
  const world = {
    admin: callerOf(api, 0, TEST.adminUsername, TEST.apiSecretKey),
    r1: of(r1, 'r1-key'),
    r2: of(r2, 'r2-key'),
    user: of(await createUser(h)),
    u1: of(await createUser(h, { ownerId: r1.id }), 'r1-key'),
    u2: of(await createUser(h, { ownerId: r2.id }), 'r2-key'),
    accFull: of(await createAccountant(h, { calls_stats: 1, see_financial_data: 1 })),
    accBlind: of(await createAccountant(h, { calls_stats: 1 })),
    accNone: of(await createAccountant(h, { see_financial_data: 1 })),
    partner: of(await createUser(h, { usertype: 'partner' })),
  };
  return world;
}
export type CallsWorld = Awaited<ReturnType<typeof callsWorld>>;
