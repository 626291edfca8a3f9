import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** Number pools: an owner's named list of numbers/patterns (admin = owner 0, or a reseller). */
export const numberPools = pgTable(
  'number_pools',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    comment: text().notNull().default(''),
    ownerId: integer().notNull().default(0),
  },
  (t) => [uniqueIndex('number_pools_owner_name_idx').on(t.ownerId, t.name)],
);

/**
 * A pool's numbers as stored: `0-9 a-z A-Z _ %` (and a leading `+`); `#` arrives converted to `_`, so a
 * stored value reads as a SQL LIKE pattern (`%` any run, `_` one character).
 */
export const numberPoolNumbers = pgTable(
  'number_pool_numbers',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    numberPoolId: integer()
      .notNull()
      .references(() => numberPools.id, { onDelete: 'cascade' }),
    number: text().notNull(),
  },
  (t) => [uniqueIndex('number_pool_numbers_pool_number_idx').on(t.numberPoolId, t.number)],
);

/** Users to whom a pool is assigned as their static Blacklist or Whitelist (number_pools_get `user_ids`). */
export const numberPoolUsers = pgTable(
  'number_pool_users',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    numberPoolId: integer()
      .notNull()
      .references(() => numberPools.id, { onDelete: 'cascade' }),
    userId: integer().notNull(),
    listType: text().notNull(),
  },
  (t) => [
    uniqueIndex('number_pool_users_pool_user_type_idx').on(t.numberPoolId, t.userId, t.listType),
    index('number_pool_users_user_idx').on(t.userId),
    check('number_pool_users_list_type_check', sql`${t.listType} in ('blacklist', 'whitelist')`),
  ],
);
