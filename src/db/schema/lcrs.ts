import { boolean, index, integer, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * LCRs (routing tables, _rating-model §6): the minimal shape card groups and users reference.
 * Created by the calling-cards family; completed by the routing family (order and its options).
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
    /** How the main list is ordered: `price`, `priority`, `percent` or `quality`. */
    order: text().notNull().default('price'),
    firstProviderPercentLimit: numeric({ precision: 12, scale: 4 }).notNull().default('0'),
    /** 1 = only the first provider is tried. */
    noFailover: integer().notNull().default(0),
    minimalRateMarginPercent: numeric({ precision: 12, scale: 4 }).notNull().default('0'),
    /** -1 = none. */
    qualityRoutingId: integer().notNull().default(-1),
    /** 1 = route even when the provider price exceeds the user's price. */
    allowLossCalls: integer().notNull().default(0),
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

/**
 * Provider rules (_lcr-model §3): number rewriting applied when a call leaves through the provider.
 * `prType` `dst` rewrites the destination, `src` the CallerID; `tariffId` (a provider tariff) replaces
 * the provider's own tariff for the calls the rule matched.
 */
export const providerRules = pgTable(
  'provider_rules',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    providerId: integer().notNull(),
    name: text().notNull(),
    enabled: integer().notNull().default(1),
    cut: text().notNull().default(''),
    add: text().notNull().default(''),
    minlen: integer().notNull().default(1),
    maxlen: integer().notNull().default(100),
    prType: text().notNull().default('dst'),
    changeCalleridName: integer().notNull().default(0),
    tariffId: integer(),
    setPai: integer().notNull().default(0),
    suffix: text().notNull().default(''),
  },
  (t) => [index('provider_rules_provider_id_idx').on(t.providerId)],
);
