import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * LCRs (routing tables, _rating-model §6): the minimal shape card groups and users reference.
 * Created by the calling-cards family; the routing family completes it (order, providers).
 */
export const lcrs = pgTable(
  'lcrs',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    /** 0 = the admin's; else a reseller's own (Reseller PRO). */
    ownerId: integer().notNull().default(0),
  },
  (t) => [index('lcrs_owner_id_idx').on(t.ownerId)],
);
