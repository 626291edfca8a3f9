import { sql } from 'drizzle-orm';
import { index, integer, numeric, pgTable, text, time, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/*
 * Rating (spec/mor-api/_rating-model.md): directions, destinations, destination groups, tariffs, rates
 * with their time bands, and per-user custom rates. Prices are unconstrained `numeric`: a rate is
 * printed as stored ("0.987", "35.0"), so the column must keep the scale it was given.
 */

export const TARIFF_PURPOSES = ['provider', 'user', 'user_wholesale'] as const;
export type TariffPurpose = (typeof TARIFF_PURPOSES)[number];

/** Directions (countries): destinations reference them by `code`. */
export const directions = pgTable(
  'directions',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    code: text().notNull(),
  },
  (t) => [uniqueIndex('directions_code_idx').on(t.code)],
);

/** Destination groups: retail tariffs and custom rates price a group, not a prefix. */
export const destinationgroups = pgTable(
  'destinationgroups',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    flag: text().notNull().default(''),
    desttype: text().notNull().default(''),
  },
  (t) => [index('destinationgroups_name_idx').on(t.name)],
);

/** Destinations: one unique prefix each; `destinationgroupId` 0 = in no group (Integrity Check). */
export const destinations = pgTable(
  'destinations',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    prefix: text().notNull(),
    directionCode: text().notNull().default(''),
    name: text().notNull().default(''),
    subcode: text().notNull().default(''),
    destinationgroupId: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('destinations_prefix_idx').on(t.prefix),
    index('destinations_destinationgroup_id_idx').on(t.destinationgroupId),
  ],
);

/** Tariffs: provider (self-cost), user retail (`user`, per group), user wholesale (per prefix). */
export const tariffs = pgTable(
  'tariffs',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    purpose: text({ enum: TARIFF_PURPOSES }).notNull().default('user_wholesale'),
    ownerId: integer().notNull().default(0),
    currency: text().notNull().default('USD'),
    lastUpdateDate: timestamp({ withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('tariffs_owner_id_idx').on(t.ownerId), uniqueIndex('tariffs_owner_id_name_idx').on(t.ownerId, t.name)],
);

/**
 * Rates. Wholesale/provider: `prefix` (copied from the destination, so the longest-prefix search needs
 * no join) and an optional `effectiveFrom`. Retail: `destinationgroupId`, prefix NULL.
 * `rates_tariff_prefix_idx` serves `tariff_id = $1 and prefix = any($2)` and keeps one rate per
 * tariff × prefix × effective date (NULL counted as one date); retail rows (prefix NULL) never clash.
 */
export const rates = pgTable(
  'rates',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    tariffId: integer()
      .notNull()
      .references(() => tariffs.id, { onDelete: 'cascade' }),
    destinationId: integer().references(() => destinations.id),
    prefix: text(),
    destinationgroupId: integer(),
    effectiveFrom: timestamp({ withTimezone: true }),
    ghostMinPerc: numeric(),
  },
  (t) => [
    uniqueIndex('rates_tariff_prefix_idx').on(
      t.tariffId,
      t.prefix,
      sql`coalesce(${t.effectiveFrom}, '-infinity'::timestamptz)`,
    ),
    uniqueIndex('rates_tariff_destinationgroup_idx').on(t.tariffId, t.destinationgroupId),
    index('rates_destination_id_idx').on(t.destinationId),
  ],
);

const band = {
  startTime: time().notNull().default('00:00:00'),
  endTime: time().notNull().default('23:59:59'),
  /** '' all days, 'WD' work days, 'FD' free days. */
  daytype: text({ enum: ['', 'WD', 'FD'] })
    .notNull()
    .default(''),
};

/** Time bands of a wholesale/provider rate: price per minute, connection fee, increment, minimal time. */
export const ratedetails = pgTable(
  'ratedetails',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    rateId: integer()
      .notNull()
      .references(() => rates.id, { onDelete: 'cascade' }),
    rate: numeric().notNull(),
    connectionFee: numeric().notNull().default('0'),
    incrementS: integer().notNull().default(1),
    minTime: integer().notNull().default(0),
    ...band,
  },
  (t) => [index('ratedetails_rate_id_idx').on(t.rateId)],
);

const advanced = {
  /** Second (1-based) where the interval starts. */
  from: integer().notNull().default(1),
  /** Length in seconds; -1 = until the end of the call. */
  duration: integer().notNull().default(-1),
  artype: text({ enum: ['minute', 'event'] })
    .notNull()
    .default('minute'),
  round: integer().notNull().default(1),
  price: numeric().notNull(),
  ...band,
};

/** Advanced Rates: the ordered intervals of a retail rate. */
export const aratedetails = pgTable(
  'aratedetails',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    rateId: integer()
      .notNull()
      .references(() => rates.id, { onDelete: 'cascade' }),
    ...advanced,
  },
  (t) => [index('aratedetails_rate_id_idx').on(t.rateId)],
);

/** Custom rates: a user's own price for one destination group (replaces the tariff's rate). */
export const customrates = pgTable(
  'customrates',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    destinationgroupId: integer().notNull(),
  },
  (t) => [uniqueIndex('customrates_user_id_destinationgroup_id_idx').on(t.userId, t.destinationgroupId)],
);

/** Intervals of a custom rate, shaped like aratedetails; prices in the user's currency. */
export const acustratedetails = pgTable(
  'acustratedetails',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    customrateId: integer()
      .notNull()
      .references(() => customrates.id, { onDelete: 'cascade' }),
    ...advanced,
  },
  (t) => [index('acustratedetails_customrate_id_idx').on(t.customrateId)],
);
