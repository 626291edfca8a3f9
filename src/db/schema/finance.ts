import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/*
 * Money documents besides payments (payments.ts): credit notes, invoices with their lines, services
 * and subscriptions with their charges. Amounts are in the system currency unless a column says
 * otherwise; every document belongs to a user and, through the user's owner, to a realm.
 */

const money = () => numeric({ precision: 20, scale: 6 });

/** A credit note: money given back to a user; paying it moves the balance (through a payment). */
export const creditNotes = pgTable(
  'credit_notes',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    /** Realm of the user when the note was made. */
    ownerId: integer().notNull().default(0),
    number: text().notNull().default(''),
    issueDate: timestamp({ withTimezone: true }).notNull(),
    /** Without tax, may be negative. */
    price: money().notNull(),
    priceWithVat: money().notNull(),
    /** The user's taxes when the note was made (name → percent, compound flag). */
    taxes: jsonb().notNull().default({}),
    comment: text().notNull().default(''),
    status: text({ enum: ['paid', 'unpaid'] })
      .notNull()
      .default('unpaid'),
    payDate: timestamp({ withTimezone: true }),
    paymentId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('credit_notes_user_id_idx').on(t.userId),
    index('credit_notes_owner_id_issue_date_idx').on(t.ownerId, t.issueDate),
  ],
);

/** Invoices: one per user and period; numbered gap-free per realm (`seq`). */
export const invoices = pgTable(
  'invoices',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    ownerId: integer().notNull().default(0),
    /** Position in the realm's numbering (1, 2, 3 … without gaps). */
    seq: integer().notNull(),
    number: text().notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    issueDate: date({ mode: 'string' }).notNull(),
    invoiceType: text({ enum: ['prepaid', 'postpaid'] }).notNull(),
    /** Totals in the system currency. */
    price: money().notNull(),
    priceWithVat: money().notNull(),
    /** The invoice currency (the user's at generation) with its rate (units per system unit). */
    currency: text().notNull(),
    exchangeRate: numeric({ precision: 24, scale: 12 }).notNull().default('1'),
    /** Totals in the invoice currency, rounded to cents; lines add up to them exactly. */
    total: numeric({ precision: 20, scale: 2 }).notNull(),
    totalTax: numeric({ precision: 20, scale: 2 }).notNull(),
    totalWithTax: numeric({ precision: 20, scale: 2 }).notNull(),
    taxes: jsonb().notNull().default({}),
    paid: boolean().notNull().default(false),
    paidAt: timestamp({ withTimezone: true }),
    paymentId: integer(),
    sent: boolean().notNull().default(false),
    comment: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_owner_id_seq_idx').on(t.ownerId, t.seq),
    uniqueIndex('invoices_user_id_period_idx').on(t.userId, t.periodStart, t.periodEnd),
    index('invoices_owner_id_issue_date_idx').on(t.ownerId, t.issueDate),
  ],
);

/** Lines of an invoice. */
export const invoiceDetails = pgTable(
  'invoice_details',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    invoiceId: integer().notNull(),
    name: text().notNull(),
    kind: text({ enum: ['calls', 'service', 'other'] }).notNull(),
    quantity: numeric({ precision: 20, scale: 6 }),
    /** Unit price and line total in the system currency. */
    price: money().notNull(),
    discount: money().notNull().default('0'),
    sum: money().notNull(),
    /** Line total in the invoice currency, rounded to cents (the lines add up to the invoice total). */
    total: numeric({ precision: 20, scale: 2 }).notNull(),
    prefix: text(),
    totalTime: integer(),
    serviceId: integer(),
    subscriptionId: integer(),
  },
  (t) => [index('invoice_details_invoice_id_idx').on(t.invoiceId)],
);

/** The last invoice number of each realm (row-locked while numbering, so numbers have no gaps). */
export const invoiceCounters = pgTable('invoice_counters', {
  ownerId: integer().primaryKey(),
  lastSeq: integer().notNull().default(0),
});

export const SERVICE_TYPES = ['periodic_fee', 'one_time_fee', 'flat_rate', 'dynamic_flat_rate'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** Services: what a subscription sells (monthly fee, one-time fee, flat rates). */
export const services = pgTable(
  'services',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    ownerId: integer().notNull().default(0),
    name: text().notNull(),
    memo: text().notNull().default(''),
    type: text({ enum: SERVICE_TYPES }).notNull(),
    period: text({ enum: ['month', 'day'] })
      .notNull()
      .default('month'),
    price: money().notNull().default('0'),
    selfCost: money().notNull().default('0'),
    /** Flat rates: minutes per period. */
    quantity: integer().notNull().default(0),
    connectionFee: money().notNull().default('0'),
    roundingSeconds: integer().notNull().default(1),
    maxProviderRate: money(),
    continueCall: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('services_owner_id_idx').on(t.ownerId)],
);

/** Prefixes a flat-rate service includes or excludes (a prefix covers all longer ones). */
export const serviceDestinations = pgTable(
  'service_destinations',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    serviceId: integer().notNull(),
    prefix: text().notNull(),
    include: boolean().notNull().default(true),
  },
  (t) => [uniqueIndex('service_destinations_service_id_prefix_idx').on(t.serviceId, t.prefix)],
);

/** Subscriptions: who pays for which service, from when until when, and how it is charged. */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    serviceId: integer().notNull(),
    userId: integer().notNull(),
    deviceId: integer(),
    activationStart: timestamp({ withTimezone: true }).notNull(),
    /** Null: until canceled. */
    activationEnd: timestamp({ withTimezone: true }),
    memo: text().notNull().default(''),
    noExpiration: boolean().notNull().default(false),
    discountPercent: numeric({ precision: 7, scale: 4 }).notNull().default('0'),
    startPeriodDay: smallint().notNull().default(1),
    startPeriodMonth: smallint().notNull().default(1),
    /** 1 at period start, 2 at period end, 3 every day. */
    chargeBalanceOn: smallint().notNull().default(1),
    chargeForPast: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('subscriptions_user_id_idx').on(t.userId), index('subscriptions_service_id_idx').on(t.serviceId)],
);

/**
 * One row per charged period of a subscription: unique per (subscription, period start), so a period
 * is charged once however often or wherever the charging job runs.
 */
export const subscriptionCharges = pgTable(
  'subscription_charges',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    subscriptionId: integer().notNull(),
    userId: integer().notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    /** Charged in the system currency (positive = taken from the balance). */
    amount: money().notNull(),
    /** Returned later (subscription_delete with money return). */
    refunded: money().notNull().default('0'),
    /** The payment of type `Subscription` (negative) that shows the charge in the payments list. */
    paymentId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subscription_charges_subscription_id_period_start_idx').on(t.subscriptionId, t.periodStart),
    index('subscription_charges_user_id_idx').on(t.userId),
  ],
);
