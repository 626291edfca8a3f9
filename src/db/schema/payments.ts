import { boolean, index, integer, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Payments (_finance-model §2), with the model's columns. Created by the calling-cards family for
 * card sales and top-ups (type `Card`, `cardId` set, `userId` null); the finance family owns the rest.
 * Amounts are in the payment's `currency`; `exchangeRate` = units of that currency per system unit.
 */
export const payments = pgTable(
  'payments',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer(),
    cardId: integer(),
    /** Realm that receives the money: 0 = the admin, else a reseller. */
    ownerId: integer().notNull().default(0),
    paymenttype: text().notNull(),
    currency: text().notNull(),
    /** Net amount (without tax). */
    amount: numeric({ precision: 20, scale: 6 }).notNull(),
    tax: numeric({ precision: 20, scale: 6 }).notNull().default('0'),
    gross: numeric({ precision: 20, scale: 6 }).notNull(),
    fee: numeric({ precision: 20, scale: 6 }).notNull().default('0'),
    exchangeRate: numeric({ precision: 24, scale: 12 }).notNull().default('1'),
    completed: boolean().notNull().default(true),
    confirmation: text({ enum: ['not_needed', 'waiting', 'confirmed'] })
      .notNull()
      .default('not_needed'),
    dateAdded: timestamp({ withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp({ withTimezone: true }),
    transactionId: text().notNull().default(''),
    payerEmail: text().notNull().default(''),
    comment: text().notNull().default(''),
    commentsForUser: text().notNull().default(''),
    balanceBefore: numeric({ precision: 20, scale: 6 }),
    balanceAfter: numeric({ precision: 20, scale: 6 }),
    invoiceId: integer(),
    creditNoteId: integer(),
    subscriptionId: integer(),
  },
  (t) => [
    index('payments_user_id_idx').on(t.userId),
    index('payments_card_id_idx').on(t.cardId),
    index('payments_owner_id_date_added_idx').on(t.ownerId, t.dateAdded),
  ],
);
