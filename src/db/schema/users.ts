import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** MOR user types. `partner` exists in the model but no method of this API acts as one yet. */
export const USERTYPES = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;
export type Usertype = (typeof USERTYPES)[number];

const money = (name?: string) =>
  name ? numeric(name, { precision: 20, scale: 6 }) : numeric({ precision: 20, scale: 6 });

/**
 * The MOR user: customers and every administrative account (admin id 0, accountants, resellers).
 * Columns follow spec/mor-api/_users-model.md; names MOR exposes are kept verbatim.
 */
export const users = pgTable(
  'users',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity({ startWith: 1 }),
    username: text().notNull(),
    /** PBKDF2 hash (see domain/users/password.ts), never the plain password. */
    password: text().notNull(),
    /** Set when the password is set (domain/users/password.ts): the plain text is gone afterwards. */
    passwordWeak: boolean().notNull().default(false),
    usertype: text({ enum: USERTYPES }).notNull().default('user'),
    ownerId: integer().notNull().default(0),
    accGroupId: integer(),
    responsibleAccountantId: integer(),
    uniquehash: text().notNull(),
    apiRestricted: boolean().notNull().default(false),
    apiPermissionGroupId: integer(),
    logged: boolean().notNull().default(false),
    hidden: boolean().notNull().default(false),
    comment: text().notNull().default(''),
    language: text().notNull().default('en'),
    timeZone: text().notNull().default('UTC'),
    currencyId: integer().notNull().default(1),

    balance: money().notNull().default('0'),
    credit: money().notNull().default('0'),
    postpaid: boolean().notNull().default(false),
    dailyCreditLimit: money().notNull().default('0'),
    minimalCharge: money().notNull().default('0'),
    minimalChargeStartAt: date(),
    tariffId: integer(),
    lcrId: integer(),
    allowLossCalls: boolean().notNull().default(false),
    callLimit: integer().notNull().default(0),
    maxCallRate: money().notNull().default('0'),
    blocked: boolean().notNull().default(false),
    blockAt: date(),
    blockAtConditional: integer().notNull().default(15),
    blockConditionalUse: boolean().notNull().default(false),
    frozenBalance: money().notNull().default('0'),
    ownProviders: boolean().notNull().default(false),
    pbxPoolId: integer(),
    quickforwardsRuleId: integer(),
    spyDeviceId: integer(),
    primaryDeviceId: integer(),
    hideDestinationEnd: integer().notNull().default(-1),
    hideNonAnsweredCalls: boolean().notNull().default(false),
    allowChangeCallerid: boolean().notNull().default(false),
    showStatsFromUserPerspective: boolean().notNull().default(false),
    ignoreGlobalMonitorings: boolean().notNull().default(false),
    cyberplatActive: boolean().notNull().default(false),

    warningEmailActive: boolean().notNull().default(false),
    warningEmailBalance: money().notNull().default('0'),
    warningEmailHour: integer().notNull().default(-1),
    /** The user's local day the last daily warning (warning_email_hour 0–23) went out: once a day. */
    warningEmailSentOn: date({ mode: 'string' }),
    warningBalanceCall: boolean().notNull().default(false),
    warningBalanceSoundFileId: integer(),

    generateInvoice: boolean().notNull().default(true),
    sendInvoiceTypes: integer().notNull().default(0),
    invoiceZeroCalls: boolean().notNull().default(false),
    hideGui: boolean().notNull().default(false),
    hideCsv: boolean().notNull().default(false),
    hidePdf: boolean().notNull().default(false),
    accountingNumber: text().notNull().default(''),
    agreementNumber: text().notNull().default(''),
    agreementDate: date(),
    clientid: text().notNull().default(''),
    vatNumber: text().notNull().default(''),
    taxationCountry: integer(),
    taxId: integer(),
    addressId: integer(),

    recordingEnabled: boolean().notNull().default(false),
    recordingForcedEnabled: boolean().notNull().default(false),
    recordingsEmail: text().notNull().default(''),
    recordingHddQuota: integer().notNull().default(0),

    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_idx').on(t.username),
    // Usernames are unique without case (checked under the identity lock); this index serves the check.
    index('users_username_lower_idx').on(sql`lower(${t.username})`),
    uniqueIndex('users_uniquehash_idx').on(t.uniquehash),
    index('users_owner_id_idx').on(t.ownerId),
    // The few users with low-balance warnings on: the ledger's outbox trigger looks for a crossing among
    // them only, instead of reading every user a batch of calls charged (drizzle/0038).
    index('users_warning_email_active_idx').on(t.id).where(sql`${t.warningEmailActive}`),
    check('users_call_limit_check', sql`${t.callLimit} >= 0`),
  ],
);

/** Registration / personal address of a user (MOR keeps it in its own row). */
export const addresses = pgTable(
  'addresses',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    firstName: text().notNull().default(''),
    lastName: text().notNull().default(''),
    address: text().notNull().default(''),
    postcode: text().notNull().default(''),
    city: text().notNull().default(''),
    county: text().notNull().default(''),
    state: text().notNull().default(''),
    directionId: integer(),
    phone: text().notNull().default(''),
    mobPhone: text().notNull().default(''),
    fax: text().notNull().default(''),
    email: text().notNull().default(''),
  },
  (t) => [index('addresses_email_idx').on(t.email)],
);

/** Multi-Tax definition of a user (or of a Default User / card group). */
export const taxes = pgTable('taxes', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  tax1Name: text().notNull().default('Tax'),
  tax1Value: numeric({ precision: 12, scale: 4 }).notNull().default('0'),
  tax2Enabled: boolean().notNull().default(false),
  tax2Name: text().notNull().default(''),
  tax2Value: numeric({ precision: 12, scale: 4 }).notNull().default('0'),
  tax3Enabled: boolean().notNull().default(false),
  tax3Name: text().notNull().default(''),
  tax3Value: numeric({ precision: 12, scale: 4 }).notNull().default('0'),
  tax4Enabled: boolean().notNull().default(false),
  tax4Name: text().notNull().default(''),
  tax4Value: numeric({ precision: 12, scale: 4 }).notNull().default('0'),
  totalTaxName: text().notNull().default('TAX'),
  compoundTax: boolean().notNull().default(false),
});

/** GUI sessions created by user_login and destroyed by user_logout. */
export const sessions = pgTable(
  'sessions',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    /** SHA-256 of the session cookie value. */
    tokenHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sessions_token_hash_idx').on(t.tokenHash), index('sessions_user_id_idx').on(t.userId)],
);

/**
 * Failed-login throttle (user_login), shared by every instance through the database. One row per
 * counter: `pair:<login>|<ip>`, `account:<login>`, `ip:<ip>` count failures in a sliding window and
 * carry the lock they earned; `trusted:<login>|<ip>` records the last successful login of that pair
 * (`lastAt`), which lets it past an account-wide lock. Logins are lower-cased.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text().primaryKey(),
    failures: integer().notNull().default(0),
    lastAt: timestamp({ withTimezone: true }).notNull(),
    lockedUntil: timestamp({ withTimezone: true }),
  },
  (t) => [index('login_throttle_last_at_idx').on(t.lastAt)],
);
