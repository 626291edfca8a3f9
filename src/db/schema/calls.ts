import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/*
 * Calls around the partitioned CDR table (src/db/partitioned/calls.ts): the exactly-once registry of
 * ingested switch call ids, the live calls, and the Q.850 hangup causes.
 */

/**
 * One row per ingested CDR, keyed by the switch's call id: the first insert wins, so a CDR sent again
 * — in the same batch, a retry, or a month later — is recognised and never rated or charged twice.
 */
export const callKeys = pgTable('call_keys', {
  uniqueid: text().primaryKey(),
  callId: bigint({ mode: 'number' }).notNull(),
  calldate: timestamp({ withTimezone: true }).notNull(),
  userId: integer().notNull(),
});

/** Calls in progress (active_calls_get): inserted at call start, removed when the CDR is written. */
export const activeCalls = pgTable(
  'active_calls',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    uniqueid: text().notNull(),
    serverId: integer().notNull().default(1),
    startTime: timestamp({ withTimezone: true }).notNull(),
    answerTime: timestamp({ withTimezone: true }),
    src: text().notNull().default(''),
    clid: text().notNull().default(''),
    dst: text().notNull().default(''),
    localizedDst: text().notNull().default(''),
    prefix: text().notNull().default(''),
    destinationId: integer(),
    userId: integer().notNull(),
    resellerId: integer(),
    srcDeviceId: integer(),
    dstUserId: integer(),
    dstDeviceId: integer(),
    providerId: integer(),
    didId: integer(),
    channel: text().notNull().default(''),
    /** Seconds the call may last (what calls.authorize answered), for the switch's hang-up timer. */
    maxSeconds: integer(),
  },
  (t) => [
    uniqueIndex('active_calls_uniqueid_idx').on(t.uniqueid),
    index('active_calls_user_id_idx').on(t.userId),
    index('active_calls_reseller_id_idx').on(t.resellerId),
  ],
);

/** Q.850 hangup causes; user_calls_get's `s_hgc` filters by `id`. */
export const hangupCauses = pgTable('hangup_causes', {
  id: integer().primaryKey(),
  code: integer().notNull().unique(),
  description: text().notNull(),
});
