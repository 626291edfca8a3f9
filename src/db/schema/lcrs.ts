import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

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
    /** Provider tried after all others failed; null = none. */
    failoverProviderId: integer(),
  },
  (t) => [index('lcrs_owner_id_idx').on(t.ownerId), index('lcrs_failover_provider_id_idx').on(t.failoverProviderId)],
);

/** LCR ↔ provider links; `failover` puts the provider in the LCR's failover list instead of the main one. */
export const lcrproviders = pgTable(
  'lcrproviders',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    lcrId: integer().notNull(),
    providerId: integer().notNull(),
    failover: boolean().notNull().default(false),
    priority: integer().notNull().default(1),
    percent: integer().notNull().default(0),
    active: boolean().notNull().default(true),
  },
  (t) => [
    uniqueIndex('lcrproviders_lcr_id_provider_id_failover_idx').on(t.lcrId, t.providerId, t.failover),
    index('lcrproviders_provider_id_idx').on(t.providerId),
  ],
);
