import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';

/*
 * Tables other families own, created here with the columns the foundation's validations need
 * (conflines_update checks that referenced ids exist). Their issues complete them.
 */

/** Tariffs (provider, user retail, user wholesale); completed by the rating family. */
export const tariffs = pgTable(
  'tariffs',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    purpose: text({ enum: ['provider', 'user', 'user_wholesale'] })
      .notNull()
      .default('user_wholesale'),
    ownerId: integer().notNull().default(0),
    currency: text().notNull().default('USD'),
  },
  (t) => [index('tariffs_owner_id_idx').on(t.ownerId)],
);

/** Localization locations; completed by the devices family. */
export const locations = pgTable('locations', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  ownerId: integer().notNull().default(0),
});

/** Quickforwards DID rules; completed by the devices family. */
export const quickforwardsRules = pgTable('quickforwards_rules', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  ownerId: integer().notNull().default(0),
});
