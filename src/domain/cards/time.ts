import { type SQL, sql } from 'drizzle-orm';

/** `YYYY-MM-DD HH:MM:SS +ZZZZ` of a timestamptz in zone `tz` (MOR's format), '' for NULL. */
export function localTime(column: SQL, tz: string): SQL {
  const local = sql`(${column} at time zone ${tz}::text)`;
  const minutes = sql`(extract(epoch from ${local} - (${column} at time zone 'UTC')) / 60)::int`;
  return sql`coalesce(to_char(${local}, 'YYYY-MM-DD HH24:MI:SS') || ' '
    || case when ${minutes} < 0 then '-' else '+' end
    || lpad((abs(${minutes}) / 60)::text, 2, '0') || lpad((abs(${minutes}) % 60)::text, 2, '0'), '')`;
}

/** ISO 8601 (UTC, seconds) of a timestamptz, NULL stays NULL. */
export const isoTime = (column: SQL): SQL => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
