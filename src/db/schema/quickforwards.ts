import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** Quickforwards rules: which Quickforwards DIDs a user may use (_devices-model §5). */
export const quickforwardsRules = pgTable('quickforwards_rules', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  ownerId: integer().notNull().default(0),
  /** Characters `0123456789[],|%`; empty matches no DID. */
  rule: text().notNull().default(''),
});

/** A user's forward target for one Quickforwards DID. */
export const quickforwarddids = pgTable(
  'quickforwarddids',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    didId: integer().notNull(),
    userId: integer().notNull(),
    number: text().notNull().default(''),
    description: text().notNull().default(''),
  },
  (t) => [
    uniqueIndex('quickforwarddids_did_id_user_id_idx').on(t.didId, t.userId),
    index('quickforwarddids_user_id_idx').on(t.userId),
  ],
);
