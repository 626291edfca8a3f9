import { sql } from 'drizzle-orm';
import type { Ctx } from '../../ctx.ts';

/**
 * Makes the transactions that add or remove destinations wait for each other until they end. Each such
 * statement also moves the destination_prefix_lengths counters (statement triggers) and holds their rows
 * until commit, while a rates import adds destinations in several statements: a second writer that had
 * added destinations the import's next batch needed, then waited for those counters, deadlocked with it.
 * Take it before the transaction writes any destination.
 */
export async function lockDestinationWriters(ctx: Pick<Ctx, 'db'>): Promise<void> {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext('openmor.destinations'))`);
}
