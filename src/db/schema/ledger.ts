import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Why a balance moved. Each names the document in `sourceId` (a payment, a credit note, a card, a
 * subscription charge, a call …); `opening` is a balance an account had before the ledger saw it.
 */
export const LEDGER_SOURCES = [
  'opening',
  'balance_update',
  'payment',
  'payment_reversal',
  'credit_note',
  'credit_note_reversal',
  'card_payment',
  'card_transfer',
  'subscription',
  'subscription_refund',
  'call',
  'sms',
  'sms_refund',
] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/**
 * The ledger: one row per movement of a user's or a calling card's balance, appended in the same
 * transaction as the balance change (domain/ledger). Append-only (a trigger refuses UPDATE and
 * DELETE), so for every account: balance = sum of its movements, which `ledger.reconcile` proves.
 * Amounts are in the system currency; `balanceAfter` is the account's balance right after the move.
 */
export const ledger = pgTable(
  'ledger',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    userId: integer(),
    cardId: integer(),
    /** Realm of the account: 0 = the admin's, else the owning reseller (a reseller's own account: 0). */
    realmId: integer().notNull(),
    amount: numeric({ precision: 20, scale: 6 }).notNull(),
    balanceAfter: numeric({ precision: 20, scale: 6 }).notNull(),
    source: text({ enum: LEDGER_SOURCES }).notNull(),
    sourceId: bigint({ mode: 'number' }),
    /** Who caused it (null: the system, e.g. a scheduled charge or a call). */
    actorId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    memo: text().notNull().default(''),
  },
  (t) => [
    check('ledger_one_account', sql`(${t.userId} is null) <> (${t.cardId} is null)`),
    // Partial: a row belongs to a user or a card, so each row enters one of the two (a call's movement
    // maintains 3 indexes, not 5; no query looks movements up by source document).
    index('ledger_user_id_id_idx').on(t.userId, t.id).where(sql`${t.userId} is not null`),
    index('ledger_card_id_id_idx').on(t.cardId, t.id).where(sql`${t.cardId} is not null`),
    index('ledger_realm_id_created_at_idx').on(t.realmId, t.createdAt),
  ],
);

/**
 * Idempotency keys of money-moving requests: the first request with a key stores its answer in the
 * same transaction as its effect; a retry finds the row and answers the same without moving money.
 * `fingerprint` identifies the request (method and parameters), so a key reused for another request
 * is refused. Keys are scoped by the calling account and kept at least 24 hours.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    accountId: integer().notNull(),
    key: text().notNull(),
    fingerprint: text().notNull(),
    /** The first answer as JSON text (not jsonb: key order is part of an XML answer). */
    response: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] }), index('idempotency_keys_created_at_idx').on(t.createdAt)],
);

/**
 * Runs of scheduled jobs, one row per (job, period): a run claims its row, so two instances (or the
 * job run twice) never do one period's work concurrently; each job's own effects are unique rows too.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text().notNull(),
    period: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    result: jsonb(),
  },
  (t) => [primaryKey({ columns: [t.job, t.period] })],
);
