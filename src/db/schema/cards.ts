import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/*
 * Calling cards (_rating-model §8–9). Money is numeric(20, 6) in the system currency, tax excluded,
 * like every balance of openmor; arithmetic on it happens in SQL.
 */

const money = () => numeric({ precision: 20, scale: 6 });

/** Card groups: every card takes its billing properties (tariff, LCR, price, tax…) from its group. */
export const cardgroups = pgTable(
  'cardgroups',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    description: text().notNull().default(''),
    /** "Card Image" file name, informational. */
    image: text().notNull().default(''),
    /** Starting balance of each new card ("Price with TAX" in the API, stored without tax). */
    price: money().notNull().default('0'),
    setupFee: money().notNull().default('0'),
    ghostMinPerc: money().notNull().default('100'),
    ghostBalancePerc: money().notNull().default('100'),
    dailyCharge: money().notNull().default('0'),
    /** The group's own copy of a taxes row (null = no tax). */
    taxId: integer(),
    lcrId: integer(),
    tariffId: integer(),
    validFrom: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Null = no end. */
    validTill: timestamp({ withTimezone: true }),
    /** Days of validity counted from first use; 0 = no limit. */
    validAfterFirstUse: integer().notNull().default(0),
    numberLength: integer().notNull().default(10),
    pinLength: integer().notNull().default(6),
    dialplanId: integer(),
    locationId: integer(),
    /** 0 = the admin's; else the reseller that owns the group. */
    ownerId: integer().notNull().default(0),
    tellBalanceInCurrency: text().notNull().default('USD'),
    tellCents: boolean().notNull().default(false),
    useExternalFunction: boolean().notNull().default(false),
    allowLossCalls: boolean().notNull().default(false),
    soloPinless: boolean().notNull().default(false),
    disableVoucher: boolean().notNull().default(false),
    calleridLeave: boolean().notNull().default(false),
    hidden: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cardgroups_owner_id_idx').on(t.ownerId)],
);

/**
 * Calling cards. Numbers and PINs are unique system-wide (the IVR finds a card by its PIN alone);
 * a CLI identifies at most one card. `userId` is the distributor, -1 = none. `ownerId` copies the
 * group's owner so tenancy checks need no join.
 */
export const cards = pgTable(
  'cards',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    cardgroupId: integer()
      .notNull()
      .references(() => cardgroups.id),
    ownerId: integer().notNull().default(0),
    number: text().notNull(),
    pin: text().notNull(),
    name: text().notNull().default(''),
    batchNumber: text().notNull().default(''),
    balance: money().notNull().default('0'),
    minBalance: money().notNull().default('0'),
    /** CLI for PIN-less access and card_by_cli_update; '' = none. */
    callerid: text().notNull().default(''),
    sold: boolean().notNull().default(false),
    firstUse: timestamp({ withTimezone: true }),
    dailyChargePaidTill: timestamp({ withTimezone: true }),
    language: text().notNull().default('en'),
    userId: integer().notNull().default(-1),
    hidden: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cards_number_idx').on(t.number),
    uniqueIndex('cards_pin_idx').on(t.pin),
    uniqueIndex('cards_callerid_idx').on(t.callerid).where(sql`${t.callerid} <> ''`),
    index('cards_cardgroup_id_number_idx').on(t.cardgroupId, t.number),
    /** Stock to sell: unsold, visible cards of a group in number order (card_from_group_sell). */
    index('cards_free_idx').on(t.cardgroupId, t.number).where(sql`not ${t.sold} and not ${t.hidden}`),
    /** calling_cards_get's common search: one batch, a balance range. */
    index('cards_batch_number_balance_idx').on(t.batchNumber, t.balance),
    index('cards_owner_id_cardgroup_id_number_idx').on(t.ownerId, t.cardgroupId, t.number),
  ],
);
