import { boolean, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Currencies. `exchangeRate` = units of this currency per one unit of the default (system) currency;
 * the default currency is flagged and always has rate 1.
 */
export const currencies = pgTable(
  'currencies',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    fullName: text().notNull().default(''),
    exchangeRate: numeric({ precision: 24, scale: 12 }).notNull().default('1'),
    active: boolean().notNull().default(true),
    isDefault: boolean().notNull().default(false),
    /** "Update?": refreshed automatically; exchange_rate_update only changes currencies with it off. */
    currUpdate: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('currencies_name_idx').on(t.name)],
);
