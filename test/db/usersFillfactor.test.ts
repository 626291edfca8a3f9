import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { moveUserBalances } from '../../src/domain/ledger/moveBalance.ts';
import { useTestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/factories.ts';

const api = useTestApp();

/** Each user's heap page (the block of its row version's ctid). */
async function pages(ids: number[]) {
  const rows = await queryRows<{ id: number; page: number }>(
    api.handle.db,
    sql`select id, (ctid::text::point)[0]::int as page from users where id in (select unnest(${`{${ids.join(',')}}`}::int[])) order by id`,
  );
  return rows;
}

describe('users pages keep room for balance moves (drizzle/0039)', () => {
  it('is stored with fillfactor 50', async () => {
    const [row] = await queryRows<{ options: string[] | null }>(
      api.handle.db,
      sql`select reloptions as options from pg_class where oid = 'users'::regclass`,
    );
    expect(row!.options).toContain('fillfactor=50');
  });

  it('moves balances without moving the rows to other pages (heap-only updates, no index entries)', async () => {
    const ids: number[] = [];
    for (let n = 0; n < 60; n++) ids.push((await createUser(api.handle)).id);
    const before = await pages(ids);
    expect(new Set(before.map((r) => r.page)).size).toBeGreaterThan(1);
    // A call batch charging every user, as ingestion does. Half of each page is room for a new version
    // of every row on it. (Later batches reuse the room once the page has pruned the old versions,
    // which waits for every snapshot that may still see them: not something a test can pin down.)
    const moved = await moveUserBalances(
      { db: api.handle.db },
      'call',
      ids.map((userId, n) => ({ userId, amount: `-0.${n + 10}`, sourceId: null })),
    );
    expect(moved).toBe(ids.length);
    expect(await pages(ids)).toEqual(before);
  });
});
