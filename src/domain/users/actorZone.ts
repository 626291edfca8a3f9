import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { ianaZone } from '../settings/timeZones.ts';

/** The actor's IANA time zone (users store MOR's Rails names); UTC when unknown. */
export async function actorZone(ctx: Pick<Ctx, 'db' | 'actor'>): Promise<string> {
  const [row] = await queryRows<{ tz: string }>(
    ctx.db,
    sql`select time_zone as tz from users where id = ${ctx.actor.id}::int`,
  );
  return ianaZone(row?.tz ?? 'UTC');
}
