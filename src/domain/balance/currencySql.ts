import { type SQL, sql } from 'drizzle-orm';

/**
 * The exact balance of user row alias `u` in `currency` ('' system, 'USER' the user's own, or a code;
 * unknown or inactive codes fall back to the system currency), as "balance" text with 4 decimals.
 * Shared by every balance read so the conversion rule lives in one place.
 */
export function balanceColumns(currency: string): { select: SQL; join: SQL } {
  return {
    select: sql`round(u.balance * coalesce(c.exchange_rate, 1), 4)::text as balance,
  coalesce(c.name, (select name from currencies where is_default limit 1)) as currency`,
    join: sql`left join currencies c on c.id = case when ${currency}::text = 'USER' then u.currency_id
  else (select id from currencies where name = ${currency}::text and active) end`,
  };
}
