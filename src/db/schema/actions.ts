import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** MOR "Actions log": who did what to which target, with old/new values. */
export const actions = pgTable(
  'actions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    action: text().notNull(),
    targetType: text().notNull().default(''),
    targetId: integer(),
    data: text().notNull().default(''),
    data2: text().notNull().default(''),
    ip: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('actions_user_id_idx').on(t.userId),
    index('actions_target_idx').on(t.targetType, t.targetId),
    index('actions_created_at_idx').on(t.createdAt),
  ],
);
