import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import { ianaZone } from './timeZones.ts';

/**
 * The system time zone as an IANA name: the admin's (user 0) time zone, which MOR's server time
 * follows. Money documents render their dates in it and invoice periods are calendar dates in it.
 */
export async function systemZone(db: Db): Promise<string> {
  const [row] = await queryRows<{ tz: string }>(db, sql`select time_zone as tz from users where id = 0`);
  return ianaZone(row?.tz ?? 'UTC');
}
