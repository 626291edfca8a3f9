import { boolean, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** SMS tariffs (SMS addon): `user` tariffs price a subscriber's messages, per realm (owner 0 = the admin's). */
export const smsTariffs = pgTable('sms_tariffs', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  ownerId: integer().notNull().default(0),
  name: text().notNull(),
  tariffType: text({ enum: ['user', 'provider'] })
    .notNull()
    .default('user'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** The price of one SMS part to numbers starting with `prefix` (longest prefix wins), system currency. */
export const smsRates = pgTable(
  'sms_rates',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    smsTariffId: integer().notNull(),
    prefix: text().notNull(),
    price: numeric({ precision: 20, scale: 6 }).notNull(),
  },
  (t) => [uniqueIndex('sms_rates_sms_tariff_id_prefix_idx').on(t.smsTariffId, t.prefix)],
);

/** SMS routing plans, per realm. */
export const smsLcrs = pgTable('sms_lcrs', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  ownerId: integer().notNull().default(0),
  name: text().notNull(),
});

/** A user's (or reseller's) SMS service: the tariff that prices its messages and the LCR that routes them. */
export const smsSubscriptions = pgTable('sms_subscriptions', {
  userId: integer().primaryKey(),
  smsTariffId: integer().notNull(),
  smsLcrId: integer().notNull(),
  active: boolean().notNull().default(true),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
