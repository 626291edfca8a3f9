import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Speed-dial records; records of the admin (user 0) are the Global ones every user sees. */
export const phonebooks = pgTable(
  'phonebooks',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    name: text().notNull(),
    number: text().notNull(),
    speeddial: text().notNull(),
    added: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('phonebooks_user_id_idx').on(t.userId)],
);
